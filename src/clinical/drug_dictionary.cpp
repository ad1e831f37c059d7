#include "clinical/drug_dictionary.hpp"

#include <algorithm>

namespace kclinic::clinical {

namespace {

// Brand names and other spellings, grouped by the drug class of their ingredients (medications.cpp). Brand names
// are those of the products' US prescribing information (DailyMed) or UK/EU SmPCs (electronic Medicines Compendium,
// EMA); the markets column says where the name is used. "INN" marks an international or British spelling of a
// US name (amfetamine, paracetamol). A brand that names a combination lists every ingredient, so each ingredient's
// rules apply (Norco is hydrocodone with acetaminophen; Adderall is mixed amphetamine and dextroamphetamine salts).
constexpr DrugAlias kAliases[] = {
    // Oral antidepressants.
    {"zoloft", "sertraline", "US, EU/UK"},
    {"lustral", "sertraline", "EU/UK"},
    {"prozac", "fluoxetine", "US, EU/UK"},
    {"sarafem", "fluoxetine", "US"},
    {"paxil", "paroxetine", "US"},
    {"pexeva", "paroxetine", "US"},
    {"seroxat", "paroxetine", "EU/UK"},
    {"celexa", "citalopram", "US"},
    {"cipramil", "citalopram", "EU/UK"},
    {"lexapro", "escitalopram", "US"},
    {"cipralex", "escitalopram", "EU/UK"},
    {"luvox", "fluvoxamine", "US"},
    {"faverin", "fluvoxamine", "EU/UK"},
    {"effexor", "venlafaxine", "US"},
    {"efexor", "venlafaxine", "EU/UK"},
    {"pristiq", "desvenlafaxine", "US"},
    {"cymbalta", "duloxetine", "US, EU/UK"},
    {"fetzima", "levomilnacipran", "US"},
    {"savella", "milnacipran", "US"},
    {"wellbutrin", "bupropion", "US"},
    {"aplenzin", "bupropion", "US"},
    {"zyban", "bupropion", "US, EU/UK"},
    {"elontril", "bupropion", "EU/UK"},
    {"remeron", "mirtazapine", "US"},
    {"zispin", "mirtazapine", "EU/UK"},
    {"desyrel", "trazodone", "US"},
    {"molipaxin", "trazodone", "EU/UK"},
    {"trintellix", "vortioxetine", "US"},
    {"brintellix", "vortioxetine", "EU/UK"},
    {"viibryd", "vilazodone", "US"},
    {"exxua", "gepirone", "US"},
    {"valdoxan", "agomelatine", "EU/UK"},
    {"elavil", "amitriptyline", "US"},
    {"pamelor", "nortriptyline", "US"},
    {"allegron", "nortriptyline", "EU/UK"},
    {"anafranil", "clomipramine", "US, EU/UK"},
    {"tofranil", "imipramine", "US"},
    {"norpramin", "desipramine", "US"},
    {"surmontil", "trimipramine", "US"},
    {"nardil", "phenelzine", "US, EU/UK"},
    {"parnate", "tranylcypromine", "US"},
    {"marplan", "isocarboxazid", "US"},
    {"manerix", "moclobemide", "EU/UK"},
    {"auvelity", "dextromethorphan/bupropion", "US"},
    {"contrave", "naltrexone/bupropion", "US"},
    {"mysimba", "naltrexone/bupropion", "EU/UK"},
    {"symbyax", "olanzapine/fluoxetine", "US"},
    // Ketamine and esketamine.
    {"ketalar", "ketamine", "US, EU/UK"},
    {"spravato", "esketamine", "US, EU/UK"},
    // Benzodiazepines.
    {"xanax", "alprazolam", "US, EU/UK"},
    {"ativan", "lorazepam", "US, EU/UK"},
    {"klonopin", "clonazepam", "US"},
    {"rivotril", "clonazepam", "EU/UK"},
    {"valium", "diazepam", "US, EU/UK"},
    {"restoril", "temazepam", "US"},
    {"halcion", "triazolam", "US"},
    {"librium", "chlordiazepoxide", "US, EU/UK"},
    {"tranxene", "clorazepate", "US"},
    {"onfi", "clobazam", "US"},
    {"frisium", "clobazam", "EU/UK"},
    {"versed", "midazolam", "US"},
    {"buccolam", "midazolam", "EU/UK"},
    {"byfavo", "remimazolam", "US, EU/UK"},
    {"lexotan", "bromazepam", "EU/UK"},
    {"doral", "quazepam", "US"},
    // Z-drugs.
    {"ambien", "zolpidem", "US"},
    {"stilnoct", "zolpidem", "EU/UK"},
    {"lunesta", "eszopiclone", "US"},
    {"sonata", "zaleplon", "US"},
    {"zimovane", "zopiclone", "EU/UK"},
    {"imovane", "zopiclone", "EU/UK"},
    // Opioids; the UK "co-" names are the British Approved Names of the paracetamol combinations.
    {"norco", "hydrocodone/acetaminophen", "US"},
    {"vicodin", "hydrocodone/acetaminophen", "US"},
    {"lortab", "hydrocodone/acetaminophen", "US"},
    {"percocet", "oxycodone/acetaminophen", "US"},
    {"oxycontin", "oxycodone", "US, EU/UK"},
    {"roxicodone", "oxycodone", "US"},
    {"dilaudid", "hydromorphone", "US"},
    {"ultram", "tramadol", "US"},
    {"zydol", "tramadol", "EU/UK"},
    {"tramal", "tramadol", "EU/UK"},
    {"nucynta", "tapentadol", "US"},
    {"palexia", "tapentadol", "EU/UK"},
    {"suboxone", "buprenorphine/naloxone", "US, EU/UK"},
    {"subutex", "buprenorphine", "US, EU/UK"},
    {"sublocade", "buprenorphine", "US"},
    {"butrans", "buprenorphine", "US, EU/UK"},
    {"duragesic", "fentanyl", "US"},
    {"durogesic", "fentanyl", "EU/UK"},
    {"zomorph", "morphine", "EU/UK"},
    {"oramorph", "morphine", "EU/UK"},
    {"demerol", "meperidine", "US"},
    {"dolophine", "methadone", "US"},
    {"methadose", "methadone", "US"},
    {"co-codamol", "codeine/acetaminophen", "EU/UK"},
    {"co-dydramol", "dihydrocodeine/acetaminophen", "EU/UK"},
    // Other CNS depressants.
    {"lyrica", "pregabalin", "US, EU/UK"},
    {"neurontin", "gabapentin", "US, EU/UK"},
    {"soma", "carisoprodol", "US"},
    {"flexeril", "cyclobenzaprine", "US"},
    {"belsomra", "suvorexant", "US"},
    {"dayvigo", "lemborexant", "US"},
    {"quviviq", "daridorexant", "US, EU/UK"},
    {"xyrem", "sodium oxybate", "US, EU/UK"},
    {"vistaril", "hydroxyzine", "US"},
    {"atarax", "hydroxyzine", "EU/UK"},
    {"phenergan", "promethazine", "US, EU/UK"},
    {"benadryl", "diphenhydramine", "US"},
    {"zanaflex", "tizanidine", "US"},
    {"robaxin", "methocarbamol", "US"},
    {"lioresal", "baclofen", "US, EU/UK"},
    {"zurzuvae", "zuranolone", "US"},
    // MAO inhibitors outside psychiatry.
    {"emsam", "selegiline", "US"},
    {"eldepryl", "selegiline", "US, EU/UK"},
    {"azilect", "rasagiline", "US, EU/UK"},
    {"xadago", "safinamide", "US, EU/UK"},
    {"zyvox", "linezolid", "US, EU/UK"},
    {"provayblue", "methylene blue", "US"},
    // Psychostimulants; amfetamine and dexamfetamine are the INN spellings.
    {"adderall", "amphetamine/dextroamphetamine", "US"},
    {"mydayis", "amphetamine/dextroamphetamine", "US"},
    {"evekeo", "amphetamine", "US"},
    {"amfetamine", "amphetamine", "INN"},
    {"dexedrine", "dextroamphetamine", "US"},
    {"dexamfetamine", "dextroamphetamine", "INN"},
    {"vyvanse", "lisdexamfetamine", "US"},
    {"elvanse", "lisdexamfetamine", "EU/UK"},
    {"ritalin", "methylphenidate", "US, EU/UK"},
    {"concerta", "methylphenidate", "US, EU/UK"},
    {"medikinet", "methylphenidate", "EU/UK"},
    {"equasym", "methylphenidate", "EU/UK"},
    {"focalin", "dexmethylphenidate", "US"},
    {"desoxyn", "methamphetamine", "US"},
    {"provigil", "modafinil", "US, EU/UK"},
    {"nuvigil", "armodafinil", "US"},
    {"sunosi", "solriamfetol", "US, EU/UK"},
    {"adipex", "phentermine", "US"},
    {"qsymia", "phentermine/topiramate", "US"},
    // Single-drug interaction classes.
    {"lamictal", "lamotrigine", "US, EU/UK"},
    {"vivitrol", "naltrexone", "US"},
    {"revia", "naltrexone", "US"},
    {"theo-24", "theophylline", "US"},
    {"uniphyllin", "theophylline", "EU/UK"},
    {"sudafed", "pseudoephedrine", "US, EU/UK"},
    {"epipen", "epinephrine", "US, EU/UK"},
    {"adrenaline", "epinephrine", "INN"},
    {"noradrenaline", "norepinephrine", "INN"},
    {"vasostrict", "vasopressin", "US"},
    {"methergine", "methylergonovine", "US"},
    {"synthroid", "levothyroxine", "US"},
    {"levoxyl", "levothyroxine", "US"},
    {"unithroid", "levothyroxine", "US"},
    {"euthyrox", "levothyroxine", "US, EU/UK"},
    {"eltroxin", "levothyroxine", "EU/UK"},
    {"cytomel", "liothyronine", "US"},
    {"armour thyroid", "thyroid", "US"},
    // Augmentation agents.
    {"seroquel", "quetiapine", "US, EU/UK"},
    {"abilify", "aripiprazole", "US, EU/UK"},
    {"rexulti", "brexpiprazole", "US, EU/UK"},
    {"vraylar", "cariprazine", "US"},
    {"reagila", "cariprazine", "EU/UK"},
    {"zyprexa", "olanzapine", "US, EU/UK"},
    {"risperdal", "risperidone", "US, EU/UK"},
    {"lithobid", "lithium", "US"},
    {"priadel", "lithium", "EU/UK"},
    {"camcolit", "lithium", "EU/UK"},
    // Antihypertensives.
    {"zestril", "lisinopril", "US, EU/UK"},
    {"prinivil", "lisinopril", "US"},
    {"zestoretic", "lisinopril/hydrochlorothiazide", "US, EU/UK"},
    {"vasotec", "enalapril", "US"},
    {"altace", "ramipril", "US"},
    {"tritace", "ramipril", "EU/UK"},
    {"cozaar", "losartan", "US, EU/UK"},
    {"hyzaar", "losartan/hydrochlorothiazide", "US"},
    {"diovan", "valsartan", "US, EU/UK"},
    {"norvasc", "amlodipine", "US"},
    {"istin", "amlodipine", "EU/UK"},
    {"lopressor", "metoprolol", "US"},
    {"toprol", "metoprolol", "US"},
    {"tenormin", "atenolol", "US, EU/UK"},
    {"coreg", "carvedilol", "US"},
    {"inderal", "propranolol", "US, EU/UK"},
    {"catapres", "clonidine", "US, EU/UK"},
    {"minipress", "prazosin", "US"},
    {"cardura", "doxazosin", "US, EU/UK"},
    {"aldactone", "spironolactone", "US, EU/UK"},
    // Ingredients without a screening rule.
    {"paracetamol", "acetaminophen", "INN"},
    {"tylenol", "acetaminophen", "US"},
    {"panadol", "acetaminophen", "EU/UK"},
    {"advil", "ibuprofen", "US"},
    {"motrin", "ibuprofen", "US"},
    {"nurofen", "ibuprofen", "EU/UK"},
    {"zofran", "ondansetron", "US, EU/UK"},
    {"narcan", "naloxone", "US"},
    {"topamax", "topiramate", "US, EU/UK"},
    {"lipitor", "atorvastatin", "US, EU/UK"},
    {"glucophage", "metformin", "US, EU/UK"},
};

// Ingredients of common prescriptions (and of the combinations above) that none of the sources of the screening
// rules names as an interaction or a contraindication of ketamine or esketamine (clinical-reference §3.6, §4.2).
constexpr std::string_view kWithoutScreeningRule[] = {
    "acetaminophen", "aspirin",      "atorvastatin", "clopidogrel", "dextromethorphan", "guaifenesin",
    "ibuprofen",     "metformin",    "naloxone",     "naproxen",    "omeprazole",       "ondansetron",
    "pantoprazole",  "rosuvastatin", "simvastatin",  "topiramate",
};

// Only what a cited source confirms (clinical-reference §7.4, from the CPIC RxNorm tables). Every other ingredient's
// code, ketamine's 6130 included, is unverified there and is left out rather than guessed.
constexpr RxNormCode kRxNormCodes[] = {
    {"lamotrigine", "28439", "CPIC RxNorm tables (clinical-reference §7.4)"},
    {"methylphenidate", "6901", "CPIC RxNorm tables (clinical-reference §7.4)"},
    {"midazolam", "6960", "CPIC RxNorm tables (clinical-reference §7.4)"},
    {"naltrexone", "7243", "CPIC RxNorm tables (clinical-reference §7.4)"},
};

}  // namespace

std::span<const DrugAlias> DrugAliases() {
    return kAliases;
}

std::span<const std::string_view> IngredientsWithoutScreeningRule() {
    return kWithoutScreeningRule;
}

std::span<const RxNormCode> VerifiedRxNormCodes() {
    return kRxNormCodes;
}

const DrugAlias* FindDrugAlias(std::string_view name) {
    const auto* found = std::ranges::find(kAliases, name, &DrugAlias::name);
    return found == std::ranges::end(kAliases) ? nullptr : found;
}

std::optional<std::string_view> VerifiedRxcuiOf(std::string_view ingredient) {
    const auto* found = std::ranges::find(kRxNormCodes, ingredient, &RxNormCode::ingredient);
    if (found == std::ranges::end(kRxNormCodes)) {
        return std::nullopt;
    }
    return found->rxcui;
}

}  // namespace kclinic::clinical
