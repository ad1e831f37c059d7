#include "clinical/scales.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>

#include "clinical/record_time.hpp"

namespace kclinic::clinical {
namespace {

// The instrument table. Every number below comes from clinical-reference §5.3, §5.4 and §6; LOINC codes appear
// only where the reference marks them verified.

// PHQ-9 items and LOINC codes: HL7 US Core / Behavioral Health Profiles (clinical-reference §6.2).
constexpr std::array<ItemDefinition, 9> kPhq9Items{{
    {1, 0, 3, "little interest or pleasure", "44250-9"},
    {2, 0, 3, "feeling down, depressed or hopeless", "44255-8"},
    {3, 0, 3, "sleep problems", "44259-0"},
    {4, 0, 3, "tiredness or little energy", "44254-1"},
    {5, 0, 3, "appetite change", "44251-7"},
    {6, 0, 3, "feeling bad about oneself", "44258-2"},
    {7, 0, 3, "trouble concentrating", "44252-5"},
    {8, 0, 3, "psychomotor slowing or restlessness", "44253-3"},
    {9, 0, 3, "thoughts of being better off dead or of self-harm", "44260-8"},
}};

// GAD-7 items and LOINC codes: HL7 PCO/PHR IGs (clinical-reference §6.3).
constexpr std::array<ItemDefinition, 7> kGad7Items{{
    {1, 0, 3, "nervous, anxious or on edge", "69725-0"},
    {2, 0, 3, "not able to stop or control worrying", "68509-9"},
    {3, 0, 3, "worrying too much", "69733-4"},
    {4, 0, 3, "trouble relaxing", "69734-2"},
    {5, 0, 3, "restless", "69735-9"},
    {6, 0, 3, "easily annoyed or irritable", "69689-8"},
    {7, 0, 3, "afraid something awful might happen", "69736-7"},
}};

// MADRS is copyrighted (Royal College of Psychiatrists / BJP): item numbers and ranges only, no topics.
constexpr std::array<ItemDefinition, 10> kMadrsItems{{
    {1, 0, 6, {}, {}},
    {2, 0, 6, {}, {}},
    {3, 0, 6, {}, {}},
    {4, 0, 6, {}, {}},
    {5, 0, 6, {}, {}},
    {6, 0, 6, {}, {}},
    {7, 0, 6, {}, {}},
    {8, 0, 6, {}, {}},
    {9, 0, 6, {}, {}},
    {10, 0, 6, {}, {}},
}};

// QIDS-SR16 item topics: Rush 2003 / ids-qids.org (clinical-reference §6.6).
constexpr std::array<ItemDefinition, 16> kQidsItems{{
    {1, 0, 3, "falling asleep", {}},
    {2, 0, 3, "sleep during the night", {}},
    {3, 0, 3, "waking up too early", {}},
    {4, 0, 3, "sleeping too much", {}},
    {5, 0, 3, "feeling sad", {}},
    {6, 0, 3, "decreased appetite", {}},
    {7, 0, 3, "increased appetite", {}},
    {8, 0, 3, "decreased weight (last 2 weeks)", {}},
    {9, 0, 3, "increased weight (last 2 weeks)", {}},
    {10, 0, 3, "concentration and decision making", {}},
    {11, 0, 3, "view of myself", {}},
    {12, 0, 3, "thoughts of death or suicide", {}},
    {13, 0, 3, "general interest", {}},
    {14, 0, 3, "energy level", {}},
    {15, 0, 3, "feeling slowed down", {}},
    {16, 0, 3, "feeling restless", {}},
}};

// HAM-D17: Hamilton 1960; nine items score 0-4 and eight 0-2 (clinical-reference §6.5 table).
constexpr std::array<ItemDefinition, 17> kHamd17Items{{
    {1, 0, 4, "depressed mood", {}},
    {2, 0, 4, "feelings of guilt", {}},
    {3, 0, 4, "suicide", {}},
    {4, 0, 2, "insomnia: early", {}},
    {5, 0, 2, "insomnia: middle", {}},
    {6, 0, 2, "insomnia: late", {}},
    {7, 0, 4, "work and activities", {}},
    {8, 0, 4, "retardation", {}},
    {9, 0, 4, "agitation", {}},
    {10, 0, 4, "anxiety, psychic", {}},
    {11, 0, 4, "anxiety, somatic", {}},
    {12, 0, 2, "somatic symptoms, gastrointestinal", {}},
    {13, 0, 2, "somatic symptoms, general", {}},
    {14, 0, 2, "genital symptoms", {}},
    {15, 0, 4, "hypochondriasis", {}},
    {16, 0, 2, "loss of weight (by history or by measurement, one method only)", {}},
    {17, 0, 2, "insight", {}},
}};

// PCL-5: the reference gives the DSM-5 clusters but not item topics, so items are numbers only; 91006-2 is
// deliberately absent (one unreviewed repository's claim, clinical-reference §6.7).
constexpr std::array<ItemDefinition, 20> kPcl5Items{{
    {1, 0, 4, {}, {}},  {2, 0, 4, {}, {}},  {3, 0, 4, {}, {}},  {4, 0, 4, {}, {}},  {5, 0, 4, {}, {}},
    {6, 0, 4, {}, {}},  {7, 0, 4, {}, {}},  {8, 0, 4, {}, {}},  {9, 0, 4, {}, {}},  {10, 0, 4, {}, {}},
    {11, 0, 4, {}, {}}, {12, 0, 4, {}, {}}, {13, 0, 4, {}, {}}, {14, 0, 4, {}, {}}, {15, 0, 4, {}, {}},
    {16, 0, 4, {}, {}}, {17, 0, 4, {}, {}}, {18, 0, 4, {}, {}}, {19, 0, 4, {}, {}}, {20, 0, 4, {}, {}},
}};

// C-SSRS screener: topics are paraphrases, not the question wording (Columbia requires the exact wording, which
// the form layer owns). No item LOINC codes: the reference lists 93246-7 ... 93269-9 from the HL7 US Behavioral
// Health Profiles IG but marks their item-to-code mapping unverified (§6.8, §11 item 5), and a code on the wrong
// question would miscode suicidality data. Only the risk-level code (93374-7) is used.
constexpr std::array<ItemDefinition, 7> kCssrsItems{{
    {1, 0, 1, "wish to be dead (past month)", {}},
    {2, 0, 1, "thoughts of killing oneself (past month)", {}},
    {3, 0, 1, "thought about a method, without intent", {}},
    {4, 0, 1, "suicidal thoughts with some intent to act", {}},
    {5, 0, 1, "worked out a plan and intends to carry it out", {}},
    {6, 0, 1, "ever did, started or prepared anything to end one's life", {}},
    {7, 0, 1, "that behaviour was within the past 3 months", {}},
}};

// CADSS, 23 subjective items 0-4 as used in ketamine/esketamine trials (Bremner 1998; §5.4). Item text is
// treated as copyrighted until licensing is cleared.
constexpr std::array<ItemDefinition, 23> kCadssItems{{
    {1, 0, 4, {}, {}},  {2, 0, 4, {}, {}},  {3, 0, 4, {}, {}},  {4, 0, 4, {}, {}},  {5, 0, 4, {}, {}},
    {6, 0, 4, {}, {}},  {7, 0, 4, {}, {}},  {8, 0, 4, {}, {}},  {9, 0, 4, {}, {}},  {10, 0, 4, {}, {}},
    {11, 0, 4, {}, {}}, {12, 0, 4, {}, {}}, {13, 0, 4, {}, {}}, {14, 0, 4, {}, {}}, {15, 0, 4, {}, {}},
    {16, 0, 4, {}, {}}, {17, 0, 4, {}, {}}, {18, 0, 4, {}, {}}, {19, 0, 4, {}, {}}, {20, 0, 4, {}, {}},
    {21, 0, 4, {}, {}}, {22, 0, 4, {}, {}}, {23, 0, 4, {}, {}},
}};

// CADSS-6 (Rodrigues et al., J Affect Disord 2021): original CADSS items 1, 2, 6, 7, 15 and 22.
constexpr std::array<ItemDefinition, 6> kCadss6Items{{
    {1, 0, 4, {}, {}},
    {2, 0, 4, {}, {}},
    {6, 0, 4, {}, {}},
    {7, 0, 4, {}, {}},
    {15, 0, 4, {}, {}},
    {22, 0, 4, {}, {}},
}};

// MOAA/S: one observer rating, 5 = responds readily to name in a normal tone ... 0 = no response to a painful
// trapezius squeeze (Chernik 1990; §5.3).
constexpr std::array<ItemDefinition, 1> kMoaasItems{{
    {1, 0, 5, "responsiveness (5 readily to name ... 0 none to painful stimulus)", {}},
}};

constexpr std::array<std::string_view, 5> kPhq9Bands{"minimal", "mild", "moderate", "moderately_severe", "severe"};
constexpr std::array<std::string_view, 4> kGad7Bands{"minimal", "mild", "moderate", "severe"};
constexpr std::array<std::string_view, 4> kMadrsBands{"normal", "mild", "moderate", "severe"};
constexpr std::array<std::string_view, 5> kQidsBands{"none", "mild", "moderate", "severe", "very_severe"};
constexpr std::array<std::string_view, 4> kHamd17Bands{"none", "mild", "moderate", "severe"};
constexpr std::array<std::string_view, 2> kPcl5Bands{"below_threshold", "provisional_ptsd"};
constexpr std::array<std::string_view, 4> kCssrsBands{"none", "low", "moderate", "high"};
constexpr std::array<std::string_view, 2> kCadssBands{"none", "dissociation"};
constexpr std::array<std::string_view, 1> kCadss6Bands{"not_established"};
constexpr std::array<std::string_view, 4> kMoaasBands{"none", "mild", "moderate_or_deeper", "unresponsive"};

// Indexed by the Instrument enumerator; DefinitionsMatchEnum below checks the order at compile time.
constexpr std::array<InstrumentDefinition, 10> kDefinitions{{
    {.instrument = Instrument::kPhq9,
     .title = "Patient Health Questionnaire-9",
     .source = "Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16(9):606-613",
     .licensing = "free; no permission required (PHQ screeners site)",
     .rater = Rater::kPatient,
     .rater_source = "Kroenke 2001: the Patient Health Questionnaire, completed by the patient",
     .items = kPhq9Items,
     .total_min = 0,
     .total_max = 27,
     .bands = kPhq9Bands,
     .loinc_panel = "44249-1",
     .loinc_total = "44261-6",
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kGad7,
     .title = "Generalized Anxiety Disorder-7",
     .source = "Spitzer RL, Kroenke K, Williams JBW, Lowe B. Arch Intern Med 2006;166(10):1092-1097",
     .licensing = "free; no permission required",
     .rater = Rater::kPatient,
     .rater_source = "Spitzer 2006: a self-report questionnaire",
     .items = kGad7Items,
     .total_min = 0,
     .total_max = 21,
     .bands = kGad7Bands,
     .loinc_panel = "69737-5",
     .loinc_total = "70274-6",
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kMadrs,
     .title = "Montgomery-Asberg Depression Rating Scale",
     .source = "Montgomery SA, Asberg M. Br J Psychiatry 1979;134:382-389; bands Snaith et al. 1986",
     .licensing = "copyrighted (Royal College of Psychiatrists / BJP): do not ship item text without a licence",
     .rater = Rater::kClinician,
     .rater_source = "Montgomery & Asberg 1979: rated by a clinician from a clinical interview",
     .items = kMadrsItems,
     .total_min = 0,
     .total_max = 60,
     .bands = kMadrsBands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kQidsSr16,
     .title = "Quick Inventory of Depressive Symptomatology, Self-Report (16 items)",
     .source = "Rush AJ et al. Biol Psychiatry 2003;54:573-583; scoring https://www.ids-qids.org",
     .licensing = "paper forms free for clinicians and researchers; electronic versions licensed (check for "
                  "commercial use)",
     .rater = Rater::kPatient,
     .rater_source = "Rush 2003: the self-report form (QIDS-SR16); QIDS-C is the clinician form",
     .items = kQidsItems,
     .total_min = 0,
     .total_max = 27,
     .bands = kQidsBands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kHamd17,
     .title = "Hamilton Rating Scale for Depression (17 items)",
     .source = "Hamilton M. J Neurol Neurosurg Psychiatry 1960;23:56-62; bands Zimmerman et al. J Affect Disord "
               "2013;150:384-388",
     .licensing = "original scale public domain; structured interview guides separately copyrighted",
     .rater = Rater::kClinician,
     .rater_source = "Hamilton 1960: rated by a clinician from an interview",
     .items = kHamd17Items,
     .total_min = 0,
     .total_max = 52,
     .bands = kHamd17Bands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kPcl5,
     .title = "PTSD Checklist for DSM-5",
     .source = "Weathers FW et al. 2013, National Center for PTSD; cut-off Bovin et al. Psychol Assess "
               "2016;28(11):1379-1391",
     .licensing = "US government work, public domain",
     .rater = Rater::kPatient,
     .rater_source = "Weathers 2013 (VA NCPTSD): a self-report measure",
     .items = kPcl5Items,
     .total_min = 0,
     .total_max = 80,
     .bands = kPcl5Bands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kCssrsScreen,
     .title = "Columbia Suicide Severity Rating Scale, screen version",
     .source = "Posner K et al. Am J Psychiatry 2011;168:1266-1277; triage levels from Columbia Lighthouse Project "
               "materials",
     .licensing = "free for clinical use; the official question wording must be used; commercial terms to confirm",
     .rater = Rater::kClinicianOrPatient,
     .rater_source = "Posner 2011; Columbia Lighthouse Project: a clinician screener and a "
                     "self-report form; a positive answer needs a clinician's risk assessment",
     .items = kCssrsItems,
     .total_min = 0,
     .total_max = 7,
     .bands = kCssrsBands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = "93374-7",
     .loinc_note = "risk-level code from the HL7 US Behavioral Health Profiles IG; item codes (93246-7 ... "
                   "93269-9) left out until their item mapping is verified; panel code unverified (93373-9 or "
                   "73831-0 claimed) and left out"},
    {.instrument = Instrument::kCadss,
     .title = "Clinician-Administered Dissociative States Scale (23 subjective items)",
     .source = "Bremner JD et al. J Trauma Stress 1998;11(1):125-136; >4 rule from esketamine trials",
     .licensing = "licensing not found: item text treated as copyrighted",
     .rater = Rater::kClinician,
     .rater_source = "Bremner 1998: clinician-administered, with observer items",
     .items = kCadssItems,
     .total_min = 0,
     .total_max = 92,
     .bands = kCadssBands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kCadss6,
     .title = "CADSS-6 short form",
     .source = "Rodrigues NB et al. J Affect Disord 2021;282:160-164",
     .licensing = "as CADSS: item text treated as copyrighted",
     .rater = Rater::kClinician,
     .rater_source = "Rodrigues 2021: short form of the clinician-administered CADSS",
     .items = kCadss6Items,
     .total_min = 0,
     .total_max = 24,
     .bands = kCadss6Bands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
    {.instrument = Instrument::kMoaas,
     .title = "Modified Observer's Assessment of Alertness/Sedation",
     .source = "Chernik DA et al. J Clin Psychopharmacol 1990;10(4):244-251; Spravato trial conventions",
     .licensing = "published academic scale; no licence requirement found",
     .rater = Rater::kClinician,
     .rater_source = "Chernik 1990: an observer's rating of sedation",
     .items = kMoaasItems,
     .total_min = 0,
     .total_max = 5,
     .bands = kMoaasBands,
     .loinc_panel = {},
     .loinc_total = {},
     .loinc_band = {},
     .loinc_note = {}},
}};

constexpr auto kInstruments = kInstrumentNames.Values();

constexpr bool DefinitionsMatchEnum() {
    for (std::size_t i = 0; i < kDefinitions.size(); ++i) {
        if (kDefinitions[i].instrument != kInstruments[i] || static_cast<std::size_t>(kInstruments[i]) != i) {
            return false;
        }
        int max_sum = 0;
        for (const ItemDefinition& item : kDefinitions[i].items) {
            max_sum += item.max;
        }
        // QIDS-SR16 is the one instrument whose total is not the sum of its items (nine domains of 0-3).
        const int expected_max = kInstruments[i] == Instrument::kQidsSr16 ? 9 * 3 : max_sum;
        if (kDefinitions[i].total_max != expected_max) {
            return false;
        }
    }
    return true;
}
static_assert(DefinitionsMatchEnum(), "kDefinitions must follow the Instrument enum order and its totals");

// Screening cut-points from the validation papers (clinical-reference §6.2, §6.3), not clinic settings.
constexpr int kPhq9ProbableMajorDepressionMin = 10;  // Kroenke 2001: sensitivity and specificity ~88%
constexpr int kGad7ProbableGadMin = 10;              // Spitzer 2006: sensitivity 89%, specificity 82%

// An answer of 1-based item `item` (answers are validated before any of these run).
int Item(std::span<const int> answers, int item) {
    return answers[static_cast<std::size_t>(item - 1)];
}

int Sum(std::span<const int> answers) {
    int sum = 0;
    for (int answer : answers) {
        sum += answer;
    }
    return sum;
}

// Bands given as the lowest total of each band after the first, ascending.
std::string BandByLowerBounds(int total, std::span<const std::string_view> bands, std::span<const int> lower) {
    std::size_t index = 0;
    while (index < lower.size() && total >= lower[index]) {
        ++index;
    }
    return std::string(bands[index]);
}

Status ValidateAnswers(const InstrumentDefinition& definition, std::span<const int> answers) {
    if (answers.size() != definition.items.size()) {
        return InvalidArgument("answers", std::string(InstrumentName(definition.instrument)) + " expects " +
                                              std::to_string(definition.items.size()) + " answers (got " +
                                              std::to_string(answers.size()) + ")");
    }
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const ItemDefinition& item = definition.items[i];
        if (answers[i] < item.min || answers[i] > item.max) {
            Error error = OutOfRange("answers[" + std::to_string(i + 1) + "]", answers[i], item.min, item.max);
            // CADSS-6 positions are not the item numbers clinicians see on the full CADSS form.
            if (definition.instrument == Instrument::kCadss6) {
                error.message = "original CADSS item " + std::to_string(item.number) + " " + error.message;
            }
            return error;
        }
    }
    return Status::Ok();
}

// The screener asks Q3-Q5 only after a yes to Q2, and the 3-month question only after a yes to Q6 (§6.8), so
// other combinations mean a transcription error, not a patient's answer.
Status ValidateCssrsSkipLogic(std::span<const int> answers) {
    if (Item(answers, 2) == 0) {
        for (int item = 3; item <= 5; ++item) {
            if (Item(answers, item) != 0) {
                return InvalidArgument("answers[" + std::to_string(item) + "]",
                                       "Q" + std::to_string(item) +
                                           " must be 0 when Q2 (thoughts of killing oneself) is 0: the screener "
                                           "skips Q3-Q5 after a no to Q2");
            }
        }
    }
    if (Item(answers, 6) == 0 && Item(answers, 7) != 0) {
        return InvalidArgument("answers[7]",
                               "\"within the past 3 months\" must be 0 when Q6 (suicidal behaviour) is 0: it is "
                               "asked only after a yes to Q6");
    }
    return Status::Ok();
}

// Columbia triage levels (§6.8): high for intent, plan or recent behaviour; moderate for method or older
// behaviour; low for ideation alone.
std::string CssrsBand(std::span<const int> answers) {
    const bool q6_yes = Item(answers, 6) == 1;
    const bool within_3_months = Item(answers, 7) == 1;
    if (Item(answers, 4) == 1 || Item(answers, 5) == 1 || (q6_yes && within_3_months)) {
        return "high";
    }
    if (Item(answers, 3) == 1 || (q6_yes && !within_3_months)) {
        return "moderate";
    }
    if (Item(answers, 1) == 1 || Item(answers, 2) == 1) {
        return "low";
    }
    return "none";
}

// ⚠ CONFLICT (§6.4): the clinic chooses the band set; the result records which one it used.
void AddMadrsBand(MadrsBands bands, ScaleResult& result) {
    static constexpr std::array<int, 3> kSnaith{7, 20, 35};        // Snaith et al. 1986
    static constexpr std::array<int, 3> kAlternative{13, 25, 35};  // common practice bands [UNVERIFIED source]
    const bool alternative = bands == MadrsBands::kAlternative;
    result.band = BandByLowerBounds(result.total, kMadrsBands,
                                    alternative ? std::span<const int>(kAlternative) : std::span<const int>(kSnaith));
    result.band_rule = alternative ? "alternative" : "snaith_1986";
}

// QIDS-SR16 takes the worst item of the sleep, appetite/weight and psychomotor domains so that opposite
// symptoms (insomnia and hypersomnia) are not added together (Rush 2003, §6.6).
void AddQidsDomains(std::span<const int> answers, ScaleResult& result) {
    struct Domain {
        std::string_view name;
        std::array<int, 4> items;
        int item_count;
    };
    static constexpr std::array<Domain, 9> kDomains{{
        {"sleep", {1, 2, 3, 4}, 4},
        {"sad_mood", {5, 0, 0, 0}, 1},
        {"appetite_weight", {6, 7, 8, 9}, 4},
        {"concentration", {10, 0, 0, 0}, 1},
        {"self_view", {11, 0, 0, 0}, 1},
        {"suicidal_ideation", {12, 0, 0, 0}, 1},
        {"interest", {13, 0, 0, 0}, 1},
        {"energy", {14, 0, 0, 0}, 1},
        {"psychomotor", {15, 16, 0, 0}, 2},
    }};
    result.total = 0;
    for (const Domain& domain : kDomains) {
        SubscaleScore subscale{std::string(domain.name), {}, 0, 3};
        for (int i = 0; i < domain.item_count; ++i) {
            const int item = domain.items[static_cast<std::size_t>(i)];
            subscale.items.push_back(item);
            subscale.score = std::max(subscale.score, Item(answers, item));
        }
        result.total += subscale.score;
        result.subscales.push_back(std::move(subscale));
    }
}

// DSM-5 clusters and the cluster rule as given by the VA National Center for PTSD (§6.7).
void AddPcl5Clusters(std::span<const int> answers, ScaleResult& result) {
    struct Cluster {
        std::string_view name;
        int first_item;
        int last_item;
        int endorsed_needed;
    };
    static constexpr std::array<Cluster, 4> kClusters{{
        {"b_intrusions", 1, 5, 1},
        {"c_avoidance", 6, 7, 1},
        {"d_negative_cognitions_mood", 8, 14, 2},
        {"e_arousal_reactivity", 15, 20, 2},
    }};
    constexpr int kEndorsedMin = 2;  // "Moderately" or worse counts as a symptom present
    Pcl5ClusterRule rule;
    rule.met = true;
    std::array<int*, 4> endorsed{&rule.b_endorsed, &rule.c_endorsed, &rule.d_endorsed, &rule.e_endorsed};
    for (std::size_t c = 0; c < kClusters.size(); ++c) {
        const Cluster& cluster = kClusters[c];
        SubscaleScore subscale{std::string(cluster.name), {}, 0, 4 * (cluster.last_item - cluster.first_item + 1)};
        for (int item = cluster.first_item; item <= cluster.last_item; ++item) {
            subscale.items.push_back(item);
            subscale.score += Item(answers, item);
            if (Item(answers, item) >= kEndorsedMin) {
                ++*endorsed[c];
            }
        }
        rule.met = rule.met && *endorsed[c] >= cluster.endorsed_needed;
        result.subscales.push_back(std::move(subscale));
    }
    result.pcl5_cluster_rule = rule;
}

Phq9Syndrome ClassifyPhq9Syndrome(std::span<const int> answers) {
    int present = 0;
    for (int item = 1; item <= 9; ++item) {
        // Item 9 counts if present at all (Kroenke 2001), the others from "more than half the days".
        const int needed = item == 9 ? 1 : 2;
        if (Item(answers, item) >= needed) {
            ++present;
        }
    }
    const bool core = Item(answers, 1) >= 2 || Item(answers, 2) >= 2;
    if (core && present >= 5) {
        return Phq9Syndrome::kMajorDepressive;
    }
    if (core && present >= 2) {
        return Phq9Syndrome::kOtherDepressive;
    }
    return Phq9Syndrome::kNone;
}

}  // namespace

Result<Instrument> ParseInstrument(std::string_view name) {
    if (std::optional<Instrument> instrument = kInstrumentNames.Parse(name)) {
        return *instrument;
    }
    return InvalidArgument(
        "instrument", "unknown instrument \"" + std::string(name) + "\"; expected one of " + kInstrumentNames.List());
}

std::span<const Instrument> AllInstruments() {
    return kInstruments;
}

const InstrumentDefinition& Definition(Instrument instrument) {
    const auto index = static_cast<std::size_t>(instrument);
    assert(index < kDefinitions.size() && "Instrument value outside the enum");
    return kDefinitions[index];
}

bool PatientMayAnswer(Instrument instrument, const ScaleSettings& settings) {
    const Rater rater = Definition(instrument).rater;
    return rater == Rater::kPatient || (rater == Rater::kClinicianOrPatient &&
                                        settings.cssrs_screen_self_report == CssrsSelfReport::kPatientAllowed);
}

Status CheckSelfReport(Instrument instrument, TimePoint assessed_at, TimePoint now, const ClinicSettings& settings) {
    const Rater rater = Definition(instrument).rater;
    if (!PatientMayAnswer(instrument, settings.scales)) {
        std::string patient_reported;
        for (const Instrument each : kInstruments) {
            if (Definition(each).rater == Rater::kPatient) {
                patient_reported += (patient_reported.empty() ? "" : ", ") + std::string(InstrumentName(each));
            }
        }
        const std::string why = rater == Rater::kClinician
                                    ? " is rated by a clinician"
                                    : " needs a clinician's follow-up and this clinic keeps it clinician-only "
                                      "(scales.cssrs_screen_self_report)";
        return Error{ErrorCode::kPermissionDenied, "instrument",
                     std::string(InstrumentName(instrument)) + why + "; a patient records only " + patient_reported};
    }
    RETURN_IF_ERROR(CheckEntryTime("assessed_at", assessed_at, now, settings.records));
    if (assessed_at < now - std::chrono::minutes{settings.records.clock_skew_minutes}) {
        return InvalidArgument("assessed_at", "a patient's answers are dated when they are given: at most " +
                                                  std::to_string(settings.records.clock_skew_minutes) +
                                                  " min (records.clock_skew_minutes) before the server's clock");
    }
    return Status::Ok();
}

Result<ScaleResult> Score(Instrument instrument, std::span<const int> answers, const ScaleSettings& settings) {
    const InstrumentDefinition& definition = Definition(instrument);
    RETURN_IF_ERROR(ValidateAnswers(definition, answers));
    if (instrument == Instrument::kCssrsScreen) {
        RETURN_IF_ERROR(ValidateCssrsSkipLogic(answers));
    }

    ScaleResult result;
    result.instrument = instrument;
    result.answers.assign(answers.begin(), answers.end());
    result.total = Sum(answers);
    bool suicidality = false;
    bool dissociation = false;
    bool sedation = false;
    bool loss_of_consciousness = false;
    bool cluster_criteria = false;
    bool probable_major_depression = false;
    bool probable_gad = false;

    switch (instrument) {
        case Instrument::kPhq9: {
            static constexpr std::array<int, 4> kLower{5, 10, 15, 20};
            result.band = BandByLowerBounds(result.total, kPhq9Bands, kLower);
            result.band_rule = "kroenke_2001";
            // Any non-zero item 9 needs same-day clinician follow-up (PHQ instructions, §6.2).
            suicidality = Item(answers, 9) > 0;
            probable_major_depression = result.total >= kPhq9ProbableMajorDepressionMin;
            result.phq9_syndrome = ClassifyPhq9Syndrome(answers);
            break;
        }
        case Instrument::kGad7: {
            static constexpr std::array<int, 3> kLower{5, 10, 15};
            result.band = BandByLowerBounds(result.total, kGad7Bands, kLower);
            result.band_rule = "spitzer_2006";
            probable_gad = result.total >= kGad7ProbableGadMin;
            break;
        }
        case Instrument::kMadrs:
            AddMadrsBand(settings.madrs_bands, result);
            // Item 10 (suicidal thoughts) at the clinic's alert level [PRACTICE, default 4].
            suicidality = Item(answers, 10) >= settings.madrs_item10_suicidality_min;
            break;
        case Instrument::kQidsSr16: {
            AddQidsDomains(answers, result);
            static constexpr std::array<int, 4> kLower{6, 11, 16, 21};
            result.band = BandByLowerBounds(result.total, kQidsBands, kLower);
            result.band_rule = "rush_2003";
            suicidality = Item(answers, 12) >= 1;
            break;
        }
        case Instrument::kHamd17: {
            // ⚠ CONFLICT (§6.5): Zimmerman 2013 bands chosen over the IDS/QIDS conversion table's five bands.
            static constexpr std::array<int, 3> kLower{8, 17, 24};
            result.band = BandByLowerBounds(result.total, kHamd17Bands, kLower);
            result.band_rule = "zimmerman_2013";
            suicidality = Item(answers, 3) >= 1;
            break;
        }
        case Instrument::kPcl5: {
            const std::array<int, 1> lower{settings.pcl5_provisional_ptsd_min};
            result.band = BandByLowerBounds(result.total, kPcl5Bands, lower);
            result.band_rule = "pcl5_total>=" + std::to_string(settings.pcl5_provisional_ptsd_min);
            AddPcl5Clusters(answers, result);
            cluster_criteria = result.pcl5_cluster_rule->met;
            break;
        }
        case Instrument::kCssrsScreen:
            result.band = CssrsBand(answers);
            result.band_rule = "columbia_triage";
            suicidality = result.band != "none";
            break;
        case Instrument::kCadss: {
            // Esketamine trials counted a total above 4 as dissociation (§5.4).
            const std::array<int, 1> lower{settings.cadss_dissociation_above + 1};
            result.band = BandByLowerBounds(result.total, kCadssBands, lower);
            result.band_rule = "cadss_total>" + std::to_string(settings.cadss_dissociation_above);
            dissociation = result.total > settings.cadss_dissociation_above;
            break;
        }
        case Instrument::kCadss6:
            // Rodrigues 2021 validated the correlation with the full scale, not a cut-off; the 23-item rule must
            // not be borrowed.
            result.band = std::string(kCadss6Bands[0]);
            result.band_rule = "no_validated_cutoff";
            break;
        case Instrument::kMoaas: {
            // Spravato convention (§5.2, §5.3): any drop from 5 is sedation; 4 mild; 3 or lower moderate or
            // deeper; 0 loss of consciousness (emergency response).
            static constexpr std::array<std::string_view, 6> kByScore{
                "unresponsive", "moderate_or_deeper", "moderate_or_deeper", "moderate_or_deeper", "mild", "none"};
            result.band = std::string(kByScore[static_cast<std::size_t>(result.total)]);
            result.band_rule = "spravato_moaas";
            sedation = result.total < 5;
            loss_of_consciousness = result.total == 0;
            break;
        }
    }

    const std::array<std::pair<bool, std::string_view>, 7> raised{{
        {suicidality, kFlagSuicidality},
        {dissociation, kFlagDissociation},
        {sedation, kFlagSedation},
        {loss_of_consciousness, kFlagLossOfConsciousness},
        {cluster_criteria, kFlagDsm5ClusterCriteriaMet},
        {probable_major_depression, kFlagProbableMajorDepression},
        {probable_gad, kFlagProbableGad},
    }};
    for (const auto& [on, flag] : raised) {
        if (on) {
            result.flags.emplace_back(flag);
        }
    }
    return result;
}

Result<bool> CadssDissociationFromPreDose(int pre_dose_total, int post_dose_total, const ScaleSettings& settings) {
    const InstrumentDefinition& cadss = Definition(Instrument::kCadss);
    if (pre_dose_total < cadss.total_min || pre_dose_total > cadss.total_max) {
        return OutOfRange("pre_dose_total", pre_dose_total, cadss.total_min, cadss.total_max);
    }
    if (post_dose_total < cadss.total_min || post_dose_total > cadss.total_max) {
        return OutOfRange("post_dose_total", post_dose_total, cadss.total_min, cadss.total_max);
    }
    // MDD-with-suicidality trials required both a total above 4 and a rise from the pre-dose rating (§5.4).
    return post_dose_total > settings.cadss_dissociation_above && post_dose_total > pre_dose_total;
}

}  // namespace kclinic::clinical
