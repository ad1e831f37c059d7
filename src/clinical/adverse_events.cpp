#include "clinical/adverse_events.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "base/text.hpp"

namespace kclinic::clinical {
namespace {

using Category = AdverseEventCategory;

// The logging list of clinical-reference §8.3 ("What clinics should log"), one stable code per item, in its order.
// Sedation and dissociation are listed there under both the REMS and the neuro/psychiatric rows; they are kept once,
// under the REMS row, whose reporting rule is the stricter. Label tables: §8.1 (Spravato USPI, TRD short-term
// studies; ASPIRE and SUSTAIN-1 publications), §8.2 (Ketalar USPI, reviews).
constexpr std::array<AdverseEventTerm, 39> kTerms{{
    // REMS-reportable (Spravato): clinical-reference §3.6 boxed warning and §3.8 REMS [LABEL-US].
    {"sedation", "Sedation", Category::kRemsReportable, true,
     "Spravato REMS and boxed warning [LABEL-US] (clinical-reference §3.8, §3.6); rated on MOAA/S (§5.3)"},
    {"dissociation", "Dissociation", Category::kRemsReportable, true,
     "Spravato REMS and boxed warning [LABEL-US] (clinical-reference §3.8, §3.6); rated on CADSS (§5.4)"},
    {"respiratory_depression", "Respiratory depression", Category::kRemsReportable, true,
     "Spravato REMS and boxed warning [LABEL-US] (clinical-reference §3.8, §3.6); Ketalar USPI (§8.2)"},
    {"abuse_misuse", "Abuse or misuse", Category::kRemsReportable, true,
     "Spravato REMS and boxed warning [LABEL-US] (clinical-reference §3.8, §3.6)"},
    // Vital-sign events: the clinic's monitoring limits of clinical-reference §5 [PRACTICE].
    {"bp_above_limit", "Blood pressure above the configured limit", Category::kVitalSign, false,
     "clinical-reference §8.3 vital-sign events (§5); Spravato USPI blood pressure increased (§3.5, §8.1) "
     "[LABEL-US]"},
    {"tachycardia", "Tachycardia", Category::kVitalSign, false,
     "clinical-reference §8.3 vital-sign events (§5); ASPIRE label table tachycardia (§8.1) [LABEL-US]"},
    {"bradycardia", "Bradycardia", Category::kVitalSign, false, "clinical-reference §8.3 vital-sign events (§5)"},
    {"spo2_below_limit", "SpO2 below the configured limit", Category::kVitalSign, false,
     "clinical-reference §8.3 vital-sign events (§5); Spravato USPI pulse oximetry (§3.5, §3.6) [LABEL-US]"},
    {"supplemental_oxygen_given", "Supplemental oxygen given", Category::kVitalSign, false,
     "clinical-reference §8.3 vital-sign events (§5)"},
    {"respiratory_rate_abnormal", "Respiratory rate abnormal", Category::kVitalSign, false,
     "clinical-reference §8.3 vital-sign events (§5)"},
    // Neuro/psychiatric.
    {"anxiety_panic", "Anxiety or panic", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3; Spravato USPI anxiety (§8.1) [LABEL-US]"},
    {"agitation_emergence_reaction", "Agitation or emergence reaction", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3; Ketalar USPI emergence reactions (§8.2) [LABEL-US]"},
    {"hallucinations", "Hallucinations", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3; Ketalar USPI emergence reactions (§8.2) [LABEL-US]"},
    {"euphoria", "Euphoria", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3; Spravato USPI euphoric mood (§8.1) [LABEL-US]"},
    {"confusion", "Confusion", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3; Ketalar USPI delirium (§8.2) [LABEL-US]"},
    {"suicidal_ideation_new_or_worse", "Suicidal ideation, new or worse", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3 (C-SSRS, §6.8); Spravato USPI boxed warning (§3.6) [LABEL-US]"},
    {"mania_hypomania", "Mania or hypomania", Category::kNeuroPsychiatric, false,
     "clinical-reference §8.3 (labels, trials)"},
    // Somatic.
    {"nausea", "Nausea", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"vomiting", "Vomiting", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"dizziness", "Dizziness", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"vertigo", "Vertigo", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"headache", "Headache", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"hypoesthesia_paraesthesia", "Hypoesthesia or paraesthesia (including oral)", Category::kSomatic, false,
     "Spravato USPI hypoesthesia; ASPIRE paraesthesia (clinical-reference §8.1) [LABEL-US]"},
    {"dysgeusia", "Dysgeusia", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"blurred_vision_diplopia", "Blurred vision or diplopia", Category::kSomatic, false,
     "ASPIRE blurred vision (clinical-reference §8.1); Ketalar USPI diplopia (§8.2) [LABEL-US]"},
    {"nystagmus", "Nystagmus", Category::kSomatic, false, "Ketalar USPI (clinical-reference §8.2) [LABEL-US]"},
    {"dysarthria", "Dysarthria", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"tremor", "Tremor", Category::kSomatic, false, "Spravato USPI (clinical-reference §8.1) [LABEL-US]"},
    {"nasal_discomfort_throat_irritation", "Nasal discomfort or throat irritation", Category::kSomatic, false,
     "Spravato USPI, intranasal (clinical-reference §8.1) [LABEL-US]"},
    {"infusion_site_reaction", "Infusion-site reaction", Category::kSomatic, false,
     "clinical-reference §8.3 somatic (IV)"},
    // Longer-term.
    {"urinary_symptoms", "Urinary symptoms (frequency, dysuria, haematuria)", Category::kLongerTerm, false,
     "clinical-reference §8.3 (cystitis screen); Spravato USPI cystitis warning (§3.6) [LABEL-US]"},
    {"lft_abnormality", "Liver function test abnormality", Category::kLongerTerm, false,
     "clinical-reference §8.3; Ketalar USPI liver injury with repeated dosing (§8.2) [LABEL-US]"},
    {"cognitive_complaints", "Cognitive complaints", Category::kLongerTerm, false,
     "clinical-reference §8.3; Spravato USPI cognitive impairment (§3.6) [LABEL-US]"},
    {"craving_escalating_use", "Craving or escalating use", Category::kLongerTerm, false,
     "clinical-reference §8.3 (labels, APA consensus) [GUIDE]"},
    {"diversion_missing_doses", "Diversion or missing doses", Category::kLongerTerm, false,
     "clinical-reference §8.3 (controlled-substance reconciliation)"},
    {"fall", "Fall", Category::kLongerTerm, false, "clinical-reference §8.3"},
    {"driving_incident", "Driving incident", Category::kLongerTerm, false,
     "clinical-reference §8.3; Spravato USPI impaired driving (§3.4, §3.6) [LABEL-US]"},
    {"pregnancy", "Pregnancy", Category::kLongerTerm, false,
     "clinical-reference §8.3; Spravato USPI embryo-fetal toxicity (§3.6) [LABEL-US]"},
    // §8.3's REMS row ends "plus serious AEs": a serious event no term above describes.
    {kOtherSeriousTerm, "Other serious adverse event", Category::kRemsReportable, true,
     "Spravato REMS: serious adverse events (clinical-reference §3.8) [LABEL-US]; 21 CFR 312.32(a)"},
}};

constexpr auto kAllRelatedness = kRelatednessNames.Values();
constexpr auto kAllOutcomes = kAdverseEventOutcomeNames.Values();
constexpr auto kAllActions = kAdverseEventActionNames.Values();
constexpr auto kAllCriteria = kSeriousCriterionNames.Values();

template <typename T>
bool Contains(const std::vector<T>& values, T value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

// The index of the first value that repeats an earlier one, or nullopt.
template <typename T>
std::optional<std::size_t> FirstRepeat(const std::vector<T>& values) {
    for (std::size_t i = 1; i < values.size(); ++i) {
        if (std::find(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(i), values[i]) !=
            values.begin() + static_cast<std::ptrdiff_t>(i)) {
            return i;
        }
    }
    return std::nullopt;
}

std::string Indexed(std::string_view field, std::size_t index) {
    return std::string(field) + "[" + std::to_string(index) + "]";
}

// ICH E2B(R3) E.i.7: an event has an end date once it has recovered/resolved, with or without sequelae; an event
// still recovering, not recovered, of unknown outcome or fatal has none.
bool HasEnded(AdverseEventOutcome outcome) {
    return outcome == AdverseEventOutcome::kRecovered || outcome == AdverseEventOutcome::kRecoveredWithSequelae;
}

Status CheckResolution(const AdverseEventReport& report, TimePoint now) {
    if (!report.resolved_at) {
        if (HasEnded(report.outcome)) {
            return InvalidArgument("resolved_at", "is required when the outcome is " +
                                                      std::string(AdverseEventOutcomeName(report.outcome)));
        }
        return Status::Ok();
    }
    if (*report.resolved_at < report.onset_at) {
        return InvalidArgument("resolved_at", "must not be before onset_at");
    }
    if (*report.resolved_at > now) {
        return InvalidArgument("resolved_at", "must not be after now");
    }
    if (!HasEnded(report.outcome)) {
        return InvalidArgument("resolved_at",
                               "is given only when the outcome is recovered or recovered_with_sequelae, "
                               "not " +
                                   std::string(AdverseEventOutcomeName(report.outcome)));
    }
    return Status::Ok();
}

// CTCAE v5.0 grade 5 is "death related to AE", and E2B's "fatal" is a death the event caused or contributed to:
// the two describe the same events, so each requires the other.
Status CheckOutcome(const AdverseEventReport& report) {
    const bool fatal = report.outcome == AdverseEventOutcome::kFatal;
    if (report.grade == kMaxAdverseEventGrade && !fatal) {
        return InvalidArgument("outcome", "must be fatal for a CTCAE grade 5 event (death related to the event)");
    }
    if (fatal && report.grade != kMaxAdverseEventGrade) {
        return InvalidArgument("outcome", "fatal is CTCAE grade 5 (death related to the event); the grade is " +
                                              std::to_string(report.grade));
    }
    return Status::Ok();
}

Status CheckActions(const std::vector<AdverseEventAction>& actions) {
    if (actions.empty()) {
        return InvalidArgument("actions", "at least one is required (\"none\" when nothing was done)");
    }
    if (std::optional<std::size_t> repeat = FirstRepeat(actions)) {
        return InvalidArgument(Indexed("actions", *repeat),
                               std::string(AdverseEventActionName(actions[*repeat])) + " is given twice");
    }
    if (actions.size() > 1 && Contains(actions, AdverseEventAction::kNone)) {
        return InvalidArgument("actions", "\"none\" cannot be given beside another action");
    }
    return Status::Ok();
}

Status CheckSeriousness(const AdverseEventReport& report) {
    const std::vector<SeriousCriterion>& criteria = report.serious_criteria;
    if (std::optional<std::size_t> repeat = FirstRepeat(criteria)) {
        return InvalidArgument(Indexed("serious_criteria", *repeat),
                               std::string(SeriousCriterionName(criteria[*repeat])) + " is given twice");
    }
    const bool death = Contains(criteria, SeriousCriterion::kDeath);
    if (report.grade == kMaxAdverseEventGrade && !death) {
        return InvalidArgument("serious_criteria", "must include death for a CTCAE grade 5 event (21 CFR 312.32(a))");
    }
    if (death && report.grade != kMaxAdverseEventGrade) {
        return InvalidArgument(
            "serious_criteria",
            "death is CTCAE grade 5 (death related to the event); the grade is " + std::to_string(report.grade));
    }
    if (report.term == kOtherSeriousTerm && criteria.empty()) {
        return InvalidArgument("serious_criteria",
                               "other_serious is for serious events: name at least one 21 CFR 312.32(a) criterion");
    }
    return Status::Ok();
}

}  // namespace

std::span<const AdverseEventTerm> AdverseEventTerms() {
    return kTerms;
}

std::optional<AdverseEventTerm> FindAdverseEventTerm(std::string_view code) {
    for (const AdverseEventTerm& term : kTerms) {
        if (term.code == code) {
            return term;
        }
    }
    return std::nullopt;
}

Result<Relatedness> ParseRelatedness(std::string_view name) {
    return kRelatednessNames.ParseField("relatedness", name);
}
std::span<const Relatedness> AllRelatedness() {
    return kAllRelatedness;
}

Result<AdverseEventOutcome> ParseAdverseEventOutcome(std::string_view name) {
    return kAdverseEventOutcomeNames.ParseField("outcome", name);
}
std::span<const AdverseEventOutcome> AllAdverseEventOutcomes() {
    return kAllOutcomes;
}

Result<AdverseEventAction> ParseAdverseEventAction(std::string_view name) {
    return kAdverseEventActionNames.ParseField("actions", name);
}
std::span<const AdverseEventAction> AllAdverseEventActions() {
    return kAllActions;
}

Result<SeriousCriterion> ParseSeriousCriterion(std::string_view name) {
    return kSeriousCriterionNames.ParseField("serious_criteria", name);
}
std::span<const SeriousCriterion> AllSeriousCriteria() {
    return kAllCriteria;
}

bool IsSerious(const AdverseEventReport& report) {
    return !report.serious_criteria.empty();
}

bool IsRemsReportable(const AdverseEventReport& report) {
    const std::optional<AdverseEventTerm> term = FindAdverseEventTerm(report.term);
    return IsSerious(report) || (term && term->rems_reportable);
}

Status CheckAdverseEvent(const AdverseEventReport& report, TimePoint now) {
    if (!FindAdverseEventTerm(report.term)) {
        std::string known;
        for (const AdverseEventTerm& term : kTerms) {
            known += (known.empty() ? "" : ", ") + std::string(term.code);
        }
        return InvalidArgument("term", "unknown adverse event term \"" + report.term + "\" (known: " + known + ")");
    }
    if (report.grade < kMinAdverseEventGrade || report.grade > kMaxAdverseEventGrade) {
        return OutOfRange("grade", report.grade, kMinAdverseEventGrade, kMaxAdverseEventGrade);
    }
    if (report.onset_at > now) {
        return InvalidArgument("onset_at", "must not be after now");
    }
    RETURN_IF_ERROR(CheckResolution(report, now));
    RETURN_IF_ERROR(CheckOutcome(report));
    RETURN_IF_ERROR(CheckActions(report.actions));
    RETURN_IF_ERROR(CheckSeriousness(report));
    if (report.term == kOtherSeriousTerm && IsBlank(report.detail)) {
        return InvalidArgument("detail", "is required for other_serious: describe the event");
    }
    return Status::Ok();
}

}  // namespace kclinic::clinical
