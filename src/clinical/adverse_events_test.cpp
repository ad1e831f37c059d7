#include "clinical/adverse_events.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::minutes;

const TimePoint kNow{std::chrono::milliseconds{1'790'000'000'000LL}};

// A coherent, resolved, non-serious event; each case below breaks one thing.
AdverseEventReport Nausea() {
    AdverseEventReport report;
    report.term = "nausea";
    report.grade = 2;
    report.onset_at = kNow - minutes{90};
    report.resolved_at = kNow - minutes{30};
    report.outcome = AdverseEventOutcome::kRecovered;
    report.actions = {AdverseEventAction::kPrnDrugGiven};
    report.relatedness = Relatedness::kProbable;
    return report;
}

AdverseEventReport Changed(const std::function<void(AdverseEventReport&)>& change) {
    AdverseEventReport report = Nausea();
    change(report);
    return report;
}

// A death the event caused: grade 5, fatal, with the death criterion.
AdverseEventReport Fatal() {
    return Changed([](AdverseEventReport& r) {
        r.term = "respiratory_depression";
        r.grade = 5;
        r.resolved_at.reset();
        r.outcome = AdverseEventOutcome::kFatal;
        r.actions = {AdverseEventAction::kEmsEdTransfer};
        r.serious_criteria = {SeriousCriterion::kDeath};
    });
}

TEST(AdverseEventsTest, TermListHoldsTheReferenceLoggingListOnceEach) {
    // clinical-reference §8.3, in its order, plus other_serious.
    const std::vector<std::string> expected = {"sedation",
                                               "dissociation",
                                               "respiratory_depression",
                                               "abuse_misuse",
                                               "bp_above_limit",
                                               "tachycardia",
                                               "bradycardia",
                                               "spo2_below_limit",
                                               "supplemental_oxygen_given",
                                               "respiratory_rate_abnormal",
                                               "anxiety_panic",
                                               "agitation_emergence_reaction",
                                               "hallucinations",
                                               "euphoria",
                                               "confusion",
                                               "suicidal_ideation_new_or_worse",
                                               "mania_hypomania",
                                               "nausea",
                                               "vomiting",
                                               "dizziness",
                                               "vertigo",
                                               "headache",
                                               "hypoesthesia_paraesthesia",
                                               "dysgeusia",
                                               "blurred_vision_diplopia",
                                               "nystagmus",
                                               "dysarthria",
                                               "tremor",
                                               "nasal_discomfort_throat_irritation",
                                               "infusion_site_reaction",
                                               "urinary_symptoms",
                                               "lft_abnormality",
                                               "cognitive_complaints",
                                               "craving_escalating_use",
                                               "diversion_missing_doses",
                                               "fall",
                                               "driving_incident",
                                               "pregnancy",
                                               "other_serious"};
    std::vector<std::string> codes;
    for (const AdverseEventTerm& term : AdverseEventTerms()) {
        codes.emplace_back(term.code);
        EXPECT_FALSE(term.label.empty()) << term.code;
        EXPECT_FALSE(term.source.empty()) << term.code;
        EXPECT_TRUE(std::all_of(term.code.begin(), term.code.end(),
                                [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }))
            << term.code << " is not snake_case";
    }
    EXPECT_EQ(codes, expected);
}

TEST(AdverseEventsTest, RemsReportableTermsAreTheRemsFourAndOtherSerious) {
    std::set<std::string> reportable;
    for (const AdverseEventTerm& term : AdverseEventTerms()) {
        if (term.rems_reportable) {
            reportable.emplace(term.code);
            EXPECT_EQ(term.category, AdverseEventCategory::kRemsReportable) << term.code;
        }
    }
    const std::set<std::string> expected = {"sedation", "dissociation", "respiratory_depression", "abuse_misuse",
                                            "other_serious"};
    EXPECT_EQ(reportable, expected);
}

TEST(AdverseEventsTest, TermsCarryTheirCategory) {
    EXPECT_EQ(FindAdverseEventTerm("bp_above_limit")->category, AdverseEventCategory::kVitalSign);
    EXPECT_EQ(FindAdverseEventTerm("mania_hypomania")->category, AdverseEventCategory::kNeuroPsychiatric);
    EXPECT_EQ(FindAdverseEventTerm("infusion_site_reaction")->category, AdverseEventCategory::kSomatic);
    EXPECT_EQ(FindAdverseEventTerm("pregnancy")->category, AdverseEventCategory::kLongerTerm);
    EXPECT_EQ(FindAdverseEventTerm("dysgeusia")->label, "Dysgeusia");
    EXPECT_FALSE(FindAdverseEventTerm("Nausea").has_value());
    EXPECT_EQ(AdverseEventCategoryName(AdverseEventCategory::kNeuroPsychiatric), "neuro_psychiatric");
    EXPECT_EQ(AdverseEventCategoryName(AdverseEventCategory::kRemsReportable), "rems_reportable");
}

TEST(AdverseEventsTest, EnumNamesRoundTripAndUnknownNamesAreRefusedOnTheirField) {
    for (Relatedness value : AllRelatedness()) {
        EXPECT_EQ(*ParseRelatedness(RelatednessName(value)), value);
    }
    for (AdverseEventOutcome value : AllAdverseEventOutcomes()) {
        EXPECT_EQ(*ParseAdverseEventOutcome(AdverseEventOutcomeName(value)), value);
    }
    for (AdverseEventAction value : AllAdverseEventActions()) {
        EXPECT_EQ(*ParseAdverseEventAction(AdverseEventActionName(value)), value);
    }
    for (SeriousCriterion value : AllSeriousCriteria()) {
        EXPECT_EQ(*ParseSeriousCriterion(SeriousCriterionName(value)), value);
    }
    EXPECT_EQ(AllRelatedness().size(), 6U);
    EXPECT_EQ(AllAdverseEventOutcomes().size(), 6U);
    EXPECT_EQ(AllAdverseEventActions().size(), 10U);
    EXPECT_EQ(AllSeriousCriteria().size(), 6U);
    EXPECT_EQ(RelatednessName(Relatedness::kUnassessable), "unassessable");
    EXPECT_EQ(AdverseEventOutcomeName(AdverseEventOutcome::kRecoveredWithSequelae), "recovered_with_sequelae");
    EXPECT_EQ(AdverseEventActionName(AdverseEventAction::kEmsEdTransfer), "ems_ed_transfer");
    EXPECT_EQ(SeriousCriterionName(SeriousCriterion::kImportantMedicalEvent), "important_medical_event");

    Result<Relatedness> related = ParseRelatedness("not_related");
    ASSERT_FALSE(related.ok());
    EXPECT_EQ(related.error().field, "relatedness");
    EXPECT_NE(related.error().message.find("certain, probable, possible, unlikely, conditional, unassessable"),
              std::string::npos)
        << related.error().message;
    EXPECT_EQ(ParseAdverseEventOutcome("Fatal").error().field, "outcome");
    EXPECT_EQ(ParseAdverseEventAction("").error().field, "actions");
    EXPECT_EQ(ParseSeriousCriterion("serious").error().field, "serious_criteria");
}

TEST(AdverseEventsTest, AcceptsCoherentEvents) {
    EXPECT_TRUE(CheckAdverseEvent(Nausea(), kNow).ok());
    EXPECT_TRUE(CheckAdverseEvent(Fatal(), kNow).ok());
    // Ongoing, onset and resolution exactly now, and the other_serious term with a criterion and a description.
    EXPECT_TRUE(CheckAdverseEvent(Changed([](AdverseEventReport& r) {
                                      r.resolved_at.reset();
                                      r.outcome = AdverseEventOutcome::kRecovering;
                                  }),
                                  kNow)
                    .ok());
    EXPECT_TRUE(CheckAdverseEvent(Changed([](AdverseEventReport& r) {
                                      r.onset_at = kNow;
                                      r.resolved_at = kNow;
                                  }),
                                  kNow)
                    .ok());
    const AdverseEventReport seizure = Changed([](AdverseEventReport& r) {
        r.term = "other_serious";
        r.detail = "generalised seizure 20 min after the infusion";
        r.grade = 3;
        r.resolved_at.reset();
        r.outcome = AdverseEventOutcome::kNotRecovered;
        r.actions = {AdverseEventAction::kInfusionStopped, AdverseEventAction::kEmsEdTransfer};
        r.relatedness = Relatedness::kPossible;
        r.serious_criteria = {SeriousCriterion::kImportantMedicalEvent, SeriousCriterion::kHospitalization};
    });
    EXPECT_TRUE(CheckAdverseEvent(seizure, kNow).ok()) << CheckAdverseEvent(seizure, kNow).error().ToString();
}

struct RefusalCase {
    std::string name;
    std::function<void(AdverseEventReport&)> change;
    ErrorCode code;
    std::string field;
};

TEST(AdverseEventsTest, RefusesEachIncoherenceNamingItsField) {
    const ErrorCode invalid = ErrorCode::kInvalidArgument;
    const std::vector<RefusalCase> cases = {
        {"unknown term", [](AdverseEventReport& r) { r.term = "nausea "; }, invalid, "term"},
        {"empty term", [](AdverseEventReport& r) { r.term.clear(); }, invalid, "term"},
        {"grade 0", [](AdverseEventReport& r) { r.grade = 0; }, ErrorCode::kOutOfRange, "grade"},
        {"grade 6", [](AdverseEventReport& r) { r.grade = 6; }, ErrorCode::kOutOfRange, "grade"},
        {"onset in the future", [](AdverseEventReport& r) { r.onset_at = kNow + minutes{1}; }, invalid, "onset_at"},
        {"resolved before onset", [](AdverseEventReport& r) { r.resolved_at = r.onset_at - minutes{1}; }, invalid,
         "resolved_at"},
        {"resolved in the future", [](AdverseEventReport& r) { r.resolved_at = kNow + minutes{1}; }, invalid,
         "resolved_at"},
        {"recovered without a resolution time", [](AdverseEventReport& r) { r.resolved_at.reset(); }, invalid,
         "resolved_at"},
        {"with sequelae without a resolution time",
         [](AdverseEventReport& r) {
             r.resolved_at.reset();
             r.outcome = AdverseEventOutcome::kRecoveredWithSequelae;
         },
         invalid, "resolved_at"},
        {"resolved but still recovering", [](AdverseEventReport& r) { r.outcome = AdverseEventOutcome::kRecovering; },
         invalid, "resolved_at"},
        {"resolved with an unknown outcome", [](AdverseEventReport& r) { r.outcome = AdverseEventOutcome::kUnknown; },
         invalid, "resolved_at"},
        {"fatal below grade 5",
         [](AdverseEventReport& r) {
             r.resolved_at.reset();
             r.outcome = AdverseEventOutcome::kFatal;
             r.serious_criteria = {SeriousCriterion::kDeath};
         },
         invalid, "outcome"},
        {"no action", [](AdverseEventReport& r) { r.actions.clear(); }, invalid, "actions"},
        {"none beside another action",
         [](AdverseEventReport& r) {
             r.actions = {AdverseEventAction::kPrnDrugGiven, AdverseEventAction::kNone};
         },
         invalid, "actions"},
        {"an action twice",
         [](AdverseEventReport& r) {
             r.actions = {AdverseEventAction::kPrnDrugGiven, AdverseEventAction::kExtendedObservation,
                          AdverseEventAction::kPrnDrugGiven};
         },
         invalid, "actions[2]"},
        {"a criterion twice",
         [](AdverseEventReport& r) {
             r.serious_criteria = {SeriousCriterion::kHospitalization, SeriousCriterion::kHospitalization};
         },
         invalid, "serious_criteria[1]"},
        {"death below grade 5", [](AdverseEventReport& r) { r.serious_criteria = {SeriousCriterion::kDeath}; }, invalid,
         "serious_criteria"},
        {"other_serious without a criterion",
         [](AdverseEventReport& r) {
             r.term = "other_serious";
             r.detail = "seizure";
         },
         invalid, "serious_criteria"},
        {"other_serious without a detail",
         [](AdverseEventReport& r) {
             r.term = "other_serious";
             r.detail = " \n\t";
             r.serious_criteria = {SeriousCriterion::kImportantMedicalEvent};
         },
         invalid, "detail"},
    };
    for (const RefusalCase& refusal : cases) {
        Status status = CheckAdverseEvent(Changed(refusal.change), kNow);
        ASSERT_FALSE(status.ok()) << refusal.name;
        EXPECT_EQ(status.error().code, refusal.code) << refusal.name;
        EXPECT_EQ(status.error().field, refusal.field) << refusal.name << ": " << status.error().ToString();
    }
}

TEST(AdverseEventsTest, GradeFiveNeedsTheFatalOutcomeAndTheDeathCriterion) {
    AdverseEventReport not_fatal = Fatal();
    not_fatal.outcome = AdverseEventOutcome::kNotRecovered;
    EXPECT_EQ(CheckAdverseEvent(not_fatal, kNow).error().field, "outcome");

    AdverseEventReport no_death = Fatal();
    no_death.serious_criteria = {SeriousCriterion::kLifeThreatening};
    Status refused = CheckAdverseEvent(no_death, kNow);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "serious_criteria");
    EXPECT_NE(refused.error().message.find("death"), std::string::npos) << refused.error().message;

    AdverseEventReport resolved = Fatal();
    resolved.resolved_at = kNow;
    EXPECT_EQ(CheckAdverseEvent(resolved, kNow).error().field, "resolved_at");
}

TEST(AdverseEventsTest, UnknownTermMessageListsTheCodes) {
    Status status = CheckAdverseEvent(Changed([](AdverseEventReport& r) { r.term = "itch"; }), kNow);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("\"itch\""), std::string::npos);
    EXPECT_NE(status.error().message.find("sedation, dissociation,"), std::string::npos);
    EXPECT_NE(status.error().message.find("other_serious"), std::string::npos);
}

TEST(AdverseEventsTest, SeriousWhenAnyCriterionAppliesAndRemsReportableForTheRemsTermsOrWhenSerious) {
    EXPECT_FALSE(IsSerious(Nausea()));
    EXPECT_FALSE(IsRemsReportable(Nausea()));
    const AdverseEventReport hospitalised =
        Changed([](AdverseEventReport& r) { r.serious_criteria = {SeriousCriterion::kHospitalization}; });
    EXPECT_TRUE(IsSerious(hospitalised));
    EXPECT_TRUE(IsRemsReportable(hospitalised));
    for (const char* term : {"sedation", "dissociation", "respiratory_depression", "abuse_misuse"}) {
        EXPECT_TRUE(IsRemsReportable(Changed([&](AdverseEventReport& r) { r.term = term; }))) << term;
    }
    EXPECT_FALSE(IsRemsReportable(Changed([](AdverseEventReport& r) { r.term = "tachycardia"; })));
    EXPECT_TRUE(IsRemsReportable(Fatal()));
}

TEST(AdverseEventNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kAdverseEventCategoryNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kRelatednessNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kAdverseEventOutcomeNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kAdverseEventActionNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kSeriousCriterionNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
