#include "clinical/condition_codes.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cstddef>
#include <utility>

namespace kclinic::clinical {

namespace {

// The one code table. Sources are the tags of docs/clinical-rules.md (clinical-reference §3.5-3.7, §4.1, §7.2);
// where a label names a condition but not its codes, the ICD-10-CM chapters below are our mapping.
constexpr std::array<ConditionCodes, 29> kTable = {{
    // A ruptured cerebral aneurysm is coded as nontraumatic subarachnoid haemorrhage (I60, sequelae I69.0), so
    // those codes are aneurysmal disease too; a non-aneurysmal SAH cannot be told apart by code, and the hard
    // stop errs on the safe side. I25.41 coronary, I28.1 pulmonary artery, Q25.43 congenital aortic aneurysm.
    {Condition::kAneurysm, "aneurysmal vascular disease", "I71-I72, I67.1, I79.0, I60, I69.0, I25.41, I28.1, Q25.43",
     "",
     "Spravato USPI §4 contraindication (aorta, intracranial and peripheral arteries) [LABEL-US]; Miller's "
     "Anesthesia [REVIEW]"},
    // The label names no site, so a pulmonary AVM (Q25.72) counts as well as cerebral and peripheral ones.
    {Condition::kArteriovenousMalformation, "arteriovenous malformation", "Q28.0-Q28.3, Q27.3, Q25.72", "",
     "Spravato USPI §4 contraindication [LABEL-US]"},
    {Condition::kIntracerebralHaemorrhage, "history of intracerebral haemorrhage", "I61, I69.1, S06.34-S06.36", "",
     "Spravato USPI §4 contraindication [LABEL-US]; applied to every ketamine product (BP rise)"},
    {Condition::kPreEclampsia, "pre-eclampsia or eclampsia", "O11, O14-O15", "",
     "UK ketamine SmPC and Swiss esketamine Fachinformation: contraindicated [LABEL-other]"},
    // Chapter 15 also holds codes recorded after a pregnancy has ended (abortive outcomes O03-O04 and O08,
    // delivery encounters O80/O82, the puerperium O85-O87 and O89-O90, sequelae O94); those do not say that the
    // patient is pregnant now. Categories that mix pregnancy and puerperium (O88, O91-O92, O98-O9A) stay in: with
    // pregnant == false they are a record conflict for review, never a silent pass.
    {Condition::kPregnancy, "pregnancy", "O00-O9A, Z33.1, Z33.3, Z34, Z3A",
     "O03-O04, O08, O80, O82, O85-O87, O89-O90, O94",
     "Spravato USPI §8.1 embryo-fetal toxicity, not recommended [LABEL-US]; Ketalar USPI fetal neurotoxicity "
     "warning [LABEL-US]"},
    // F1x.x5 are the substance-induced psychotic disorders; they are also substance use disorders. F53.1 is
    // puerperal psychosis.
    {Condition::kPsychosis, "psychotic disorder or MDD with psychotic features",
     "F20-F29, F32.3, F33.3, F06.0, F06.2, F1?.?5, F53.1", "",
     "Excluded from ketamine/esketamine trials [TRIAL]; Miller's Anesthesia (avoid in schizophrenia) [REVIEW]; "
     "Swiss SmPC caution [LABEL-other]; APA consensus [GUIDE]; review [PRACTICE]"},
    {Condition::kBipolarOrMania, "bipolar disorder or mania", "F30-F31", "",
     "Excluded from esketamine trials [TRIAL]; Swiss SmPC caution (severe psychiatric history) [LABEL-other]; "
     "review [PRACTICE]"},
    // Nicotine (F17) carries no ketamine abuse signal; "in remission" (.11 abuse, .21 dependence, .91 use) is
    // a history that raises abuse risk, not an active disorder.
    {Condition::kSubstanceUseDisorder, "active substance use disorder", "F10-F19", "F17, F1?.11, F1?.21, F1?.91",
     "Spravato USPI boxed warning, abuse and misuse [LABEL-US]; APA consensus: screen, urine drug test where "
     "misuse is a concern [GUIDE]"},
    {Condition::kSubstanceUseInRemission, "substance use disorder in remission", "F1?.11, F1?.21, F1?.91", "F17",
     "Spravato USPI abuse and misuse: a history of SUD raises the risk; assess and monitor [LABEL-US]"},
    // I25.110 and I25.7x0 are coronary atherosclerosis "with unstable angina pectoris".
    {Condition::kAcuteCoronarySyndrome, "recent or unstable coronary event", "I20.0, I21-I24, I25.110, I25.7?0", "",
     "EU Spravato SmPC (CV event incl. MI within 6 weeks) [LABEL-EU]; Swiss SmPC (unstable angina, MI in last "
     "6 months) [LABEL-other]; UK SmPC [LABEL-other]"},
    {Condition::kPriorMyocardialInfarction, "prior myocardial infarction", "I25.2", "",
     "EU Spravato SmPC: prior MI must be stable and free of cardiac symptoms [LABEL-EU]"},
    {Condition::kValvularHeartDisease, "valvular heart disease", "I05-I08, I34-I37", "",
     "EU Spravato SmPC: haemodynamically significant valvular disease [LABEL-EU]"},
    {Condition::kHeartFailure, "heart failure", "I50", "",
     "EU Spravato SmPC (NYHA III-IV) [LABEL-EU]; Swiss SmPC [LABEL-other]"},
    // G45.4 (transient global amnesia) sits in G45 but is not ischaemic; I97.81-I97.82 are peri-operative
    // cerebral infarctions.
    {Condition::kStrokeOrTia, "ischaemic stroke or TIA", "I63, G45, I69.3, Z86.73, I97.81-I97.82", "G45.4",
     "EU Spravato SmPC (ischaemic stroke or TIA within 6 months) [LABEL-EU]; UK SmPC (CVA) [LABEL-other]"},
    {Condition::kRaisedIntracranialPressure, "raised intracranial pressure or intracranial mass",
     "G93.2, G93.5, G93.6, G91, C70.0, C70.9, C71, C79.31-C79.32, D32.0, D32.9, D33, D42.0, D42.9, D43, D49.6", "",
     "Spravato USPI §5: do not give if an ICP rise poses a serious risk [LABEL-US]; Ketalar USPI (raised CSF "
     "pressure) [LABEL-US]"},
    {Condition::kHypertensiveEncephalopathy, "hypertensive encephalopathy", "I67.4", "",
     "Spravato USPI §5: closer BP and symptom monitoring [LABEL-US]"},
    {Condition::kHeadInjury, "intracranial injury", "S06", "",
     "UK ketamine SmPC (cerebral trauma) [LABEL-other]; EU SmPC history of brain injury [UNVERIFIED]"},
    {Condition::kHypertensiveCrisis, "hypertensive crisis", "I16", "",
     "Spravato USPI §5: withhold if a BP rise poses a serious risk [LABEL-US]; ACC/AHA 2017 [GUIDE]"},
    {Condition::kRaisedIntraocularPressure, "glaucoma, raised intraocular pressure or open globe injury",
     "H40, H42, Q15.0, S05.2-S05.3, S05.5-S05.6", "",
     "Ketalar USPI (IOP rise) [LABEL-US]; Swiss SmPC caution [LABEL-other]; Miller's (open eye injury) [REVIEW]"},
    {Condition::kHyperthyroidism, "hyperthyroidism", "E05", "",
     "Swiss SmPC: contraindicated when untreated [LABEL-other]; clinician review (reference §4.1)"},
    // K74.6 (cirrhosis) is read as severe: the label's not-recommended class (Child-Pugh C) cannot be told
    // from the code, so a clinician grades it.
    {Condition::kSevereHepaticImpairment, "severe hepatic impairment or cirrhosis",
     "K72, K74.3-K74.6, K70.3-K70.4, K76.7", "",
     "Spravato USPI §8.6 (Child-Pugh C not studied, not recommended) [LABEL-US]; Swiss SmPC (prolonged effect "
     "in cirrhosis) [LABEL-other]"},
    // Sleep apnoea of any type (G47.3 less G47.32, high-altitude periodic breathing), severe persistent asthma
    // (J45.5), interstitial lung disease (J84), cystic fibrosis (E84), and dependence on a ventilator (Z99.11)
    // or on supplemental oxygen (Z99.81).
    {Condition::kRespiratoryDisease, "significant respiratory disease",
     "J43-J44, J96, G47.3, E66.2, J45.5, J84, E84, Z99.11, Z99.81", "G47.32",
     "Spravato USPI boxed warning, respiratory depression (pulmonary disease, sleep apnoea, obesity) "
     "[LABEL-US]; EU SmPC (COPD, sleep apnoea) [UNVERIFIED]"},
    {Condition::kCystitisOrUrinarySymptoms, "cystitis or lower urinary tract symptoms",
     "N30, N32.81, R30.0, R31, R35, R39.1", "",
     "Spravato USPI and Ketalar USPI: cystitis with long-term use; screen each course [LABEL-US]"},
    {Condition::kSuicidalIdeation, "suicidal ideation or suicide attempt", "R45.851, T14.91", "",
     "Spravato USPI limitations of use: does not replace hospitalization [LABEL-US]; R45.851 from recall"},
    // F32.8 (other depressive episodes, e.g. PMDD) and F32.A (depression, unspecified) do not code major
    // depressive disorder. The reference lists F32.A beside the VSAC value set "from recall"; its ICD-10-CM title
    // is unspecified depression, and the esketamine label requires MDD, so it is read as not MDD (choice).
    {Condition::kMajorDepressiveDisorder, "major depressive disorder", "F32-F33", "F32.8, F32.A",
     "VSAC Major Depression ICD-10-CM value set 2023; Spravato USPI indications [LABEL-US]"},
    // Full (or unspecified) remission: no current depressive episode is coded. Partial remission (F32.4, F33.41)
    // leaves residual symptoms and is not listed.
    {Condition::kMajorDepressionInRemission, "major depressive disorder in full remission", "F32.5, F33.40, F33.42", "",
     "Spravato USPI and EMA guideline: TRD is defined in the current depressive episode [LABEL-US] [GUIDE]"},
    // Depression coded outside MDD: named in the indication message so the clinician can correct the code.
    {Condition::kOtherDepressiveDisorder, "depression not coded as major depressive disorder",
     "F32.8, F32.A, F34.1, F34.8-F34.9, F39, F53.0, F06.31-F06.32", "",
     "ICD-10-CM (these codes are outside the VSAC Major Depression value set); Spravato USPI indications "
     "require MDD [LABEL-US]"},
    {Condition::kPtsd, "post-traumatic stress disorder", "F43.1", "",
     "ICD-10-CM; off-label, conflicting trials (Feder 2021 vs Abdallah 2022) [TRIAL] ⚠ CONFLICT"},
    {Condition::kGeneralizedAnxietyDisorder, "generalized anxiety disorder", "F41.1", "",
     "ICD-10-CM; off-label, small studies only (Glue et al.) [TRIAL] [UNVERIFIED]"},
}};

bool IsAlnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool IsDigit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool IsAlpha(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
char Upper(char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

// Upper case without the dot: the form patterns are compared in. REQUIRES: IsIcd10CmCode(code) or a pattern.
std::string Compact(std::string_view code) {
    std::string out;
    out.reserve(code.size());
    for (char c : code) {
        if (c != '.') {
            out.push_back(Upper(c));
        }
    }
    return out;
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

// Calls `visit(token)` for each comma-separated, trimmed token; stops early when it returns false.
template <typename Visit>
bool ForEachToken(std::string_view list, Visit visit) {
    while (!list.empty()) {
        std::size_t comma = list.find(',');
        std::string_view token = Trim(list.substr(0, comma));
        if (!visit(token)) {
            return false;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
    return true;
}

bool PrefixMatches(std::string_view compact_code, std::string_view compact_prefix) {
    if (compact_code.size() < compact_prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < compact_prefix.size(); ++i) {
        if (compact_prefix[i] != '?' && compact_prefix[i] != compact_code[i]) {
            return false;
        }
    }
    return true;
}

bool TokenMatches(std::string_view compact_code, std::string_view token) {
    std::size_t dash = token.find('-');
    if (dash == std::string_view::npos) {
        return PrefixMatches(compact_code, Compact(token));
    }
    std::string low = Compact(Trim(token.substr(0, dash)));
    std::string high = Compact(Trim(token.substr(dash + 1)));
    if (compact_code.size() < low.size()) {
        return false;
    }
    std::string_view head = compact_code.substr(0, low.size());
    // ICD-10-CM characters are digits and upper-case letters, and ASCII orders digits before letters, so a
    // plain comparison puts O99 before O9A as the classification does.
    return low <= head && head <= high;
}

// A pattern prefix is a code whose '?' stand for one character each.
bool IsPatternPrefix(std::string_view prefix) {
    std::string probe(prefix);
    for (char& c : probe) {
        if (c == '?') {
            c = '0';
        }
    }
    return IsIcd10CmCode(probe);
}

bool IsWellFormedToken(std::string_view token) {
    std::size_t dash = token.find('-');
    if (dash == std::string_view::npos) {
        return IsPatternPrefix(token);
    }
    std::string_view low = Trim(token.substr(0, dash));
    std::string_view high = Trim(token.substr(dash + 1));
    if (low.find('?') != std::string_view::npos || high.find('?') != std::string_view::npos) {
        return false;
    }
    if (!IsIcd10CmCode(low) || !IsIcd10CmCode(high)) {
        return false;
    }
    std::string compact_low = Compact(low);
    std::string compact_high = Compact(high);
    return compact_low.size() == compact_high.size() && compact_low <= compact_high;
}

bool IsWellFormedList(std::string_view list, bool may_be_empty) {
    if (Trim(list).empty()) {
        return may_be_empty;
    }
    return ForEachToken(list, [](std::string_view token) { return !token.empty() && IsWellFormedToken(token); });
}

}  // namespace

std::span<const ConditionCodes> ConditionCodeTable() {
    return kTable;
}

const ConditionCodes& ConditionCodesFor(Condition condition) {
    const auto index = static_cast<std::size_t>(condition);
    assert(index < kTable.size() && kTable[index].condition == condition && "condition table out of enum order");
    return kTable[index];
}

bool IsIcd10CmCode(std::string_view code) {
    if (code.size() < 3 || !IsAlpha(code[0]) || !IsDigit(code[1]) || !IsAlnum(code[2])) {
        return false;
    }
    std::string_view rest = code.substr(3);
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        if (rest.empty()) {
            return false;
        }
    }
    if (rest.size() > 4) {
        return false;
    }
    return std::ranges::all_of(rest, IsAlnum);
}

Result<std::string> NormalizeIcd10Cm(std::string_view code, std::string field) {
    if (!IsIcd10CmCode(code)) {
        return InvalidArgument(std::move(field),
                               "must be an ICD-10-CM code: a letter, a digit, a digit or letter, then optionally a dot "
                               "and 1-4 letters or digits, e.g. \"F33.2\" (got \"" +
                                   std::string(code) + "\")");
    }
    std::string compact = Compact(code);
    if (compact.size() > 3) {
        compact.insert(3, 1, '.');
    }
    return compact;
}

bool CodeMatchesPatterns(std::string_view code, std::string_view patterns) {
    if (!IsIcd10CmCode(code)) {
        return false;
    }
    std::string compact = Compact(code);
    bool matched = false;
    ForEachToken(patterns, [&](std::string_view token) {
        matched = !token.empty() && TokenMatches(compact, token);
        return !matched;
    });
    return matched;
}

bool HasCondition(std::string_view code, Condition condition) {
    const ConditionCodes& row = ConditionCodesFor(condition);
    return CodeMatchesPatterns(code, row.codes) && !CodeMatchesPatterns(code, row.except);
}

std::vector<Condition> ConditionsOf(std::string_view code) {
    std::vector<Condition> found;
    for (const ConditionCodes& row : kTable) {
        if (HasCondition(code, row.condition)) {
            found.push_back(row.condition);
        }
    }
    return found;
}

Status CheckConditionCodeTable() {
    for (std::size_t i = 0; i < kTable.size(); ++i) {
        const ConditionCodes& row = kTable[i];
        std::string field = "condition_table[" + std::to_string(i) + "]";
        if (static_cast<std::size_t>(row.condition) != i) {
            return Error{ErrorCode::kInternal, field, "row is out of enum order"};
        }
        if (!IsWellFormedList(row.codes, false)) {
            return Error{ErrorCode::kInternal, field, "malformed codes \"" + std::string(row.codes) + "\""};
        }
        if (!IsWellFormedList(row.except, true)) {
            return Error{ErrorCode::kInternal, field, "malformed except \"" + std::string(row.except) + "\""};
        }
        if (row.source.empty() || row.description.empty()) {
            return Error{ErrorCode::kInternal, field, "row needs a description and a source"};
        }
    }
    return Status::Ok();
}

}  // namespace kclinic::clinical
