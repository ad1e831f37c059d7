#include "clinical/standing_orders.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kclinic::clinical {
namespace {

using std::chrono::minutes;

const TimePoint kT0 = TimePoint{} + std::chrono::hours(24 * 20000);

// Ondansetron 4 mg IV or ODT for nausea, twice a session, 30 minutes apart, at most 8 mg.
PrnOrderTerms Ondansetron() {
    return {"ondansetron",
            4,
            MedicationUnit::kMg,
            {MedicationRoute::kIv, MedicationRoute::kOdt},
            "nausea",
            std::nullopt,
            2,
            8,
            30};
}

// Labetalol 10 mg IV when the SBP stays at or above 160 for 10 minutes; three doses 10 minutes apart.
PrnOrderTerms Labetalol() {
    return {
        "labetalol", 10, MedicationUnit::kMg, {MedicationRoute::kIv}, "SBP above threshold", SbpCondition{160, 10}, 3,
        30,          10};
}

PrnDoseRequest Dose(double dose, TimePoint at, MedicationRoute route = MedicationRoute::kIv,
                    std::string indication = "nausea", MedicationUnit unit = MedicationUnit::kMg) {
    return {dose, unit, route, std::move(indication), at};
}

struct DoseCase {
    std::string name;
    PrnOrderTerms terms;
    PrnDoseRequest request;
    std::vector<EarlierPrnDose> earlier;
    std::vector<SystolicReading> readings;
    std::optional<ErrorCode> code;  // nullopt: allowed
    std::string field;
    std::string rule;  // the message's leading rule id
};

TEST(StandingOrdersTest, EachRuleAllowsAtItsBoundAndRefusesPastIt) {
    const std::vector<SystolicReading> high_for_10 = {{kT0, 165}, {kT0 + minutes(5), 170}, {kT0 + minutes(10), 162}};
    const std::vector<SystolicReading> dipped = {{kT0, 165}, {kT0 + minutes(5), 150}, {kT0 + minutes(10), 170}};
    const std::vector<DoseCase> cases = {
        {"the order's dose", Ondansetron(), Dose(4, kT0), {}, {}, std::nullopt, "", ""},
        {"less than the order's dose",
         Ondansetron(),
         Dose(2, kT0, MedicationRoute::kOdt),
         {},
         {},
         std::nullopt,
         "",
         ""},
        {"zero", Ondansetron(), Dose(0, kT0), {}, {}, ErrorCode::kInvalidArgument, "dose", "prn.dose"},
        {"other unit",
         Ondansetron(),
         Dose(4, kT0, MedicationRoute::kIv, "nausea", MedicationUnit::kMcg),
         {},
         {},
         ErrorCode::kInvalidArgument,
         "unit",
         "prn.unit"},
        {"other route",
         Ondansetron(),
         Dose(4, kT0, MedicationRoute::kIm),
         {},
         {},
         ErrorCode::kInvalidArgument,
         "route",
         "prn.route"},
        {"indication by case",
         Ondansetron(),
         Dose(4, kT0, MedicationRoute::kIv, " Nausea "),
         {},
         {},
         std::nullopt,
         "",
         ""},
        {"other indication",
         Ondansetron(),
         Dose(4, kT0, MedicationRoute::kIv, "anxiety"),
         {},
         {},
         ErrorCode::kInvalidArgument,
         "indication",
         "prn.indication"},
        {"above the order",
         Ondansetron(),
         Dose(4.5, kT0),
         {},
         {},
         ErrorCode::kOutOfRange,
         "dose",
         "prn.dose_above_order"},
        {"second dose at the interval",
         Ondansetron(),
         Dose(4, kT0 + minutes(30)),
         {{kT0, 4}},
         {},
         std::nullopt,
         "",
         ""},
        {"second dose a minute early",
         Ondansetron(),
         Dose(4, kT0 + minutes(29)),
         {{kT0, 4}},
         {},
         ErrorCode::kFailedPrecondition,
         "given_at",
         "prn.min_interval"},
        {"a late entry before an earlier record",
         Ondansetron(),
         Dose(4, kT0 - minutes(10)),
         {{kT0, 4}},
         {},
         ErrorCode::kFailedPrecondition,
         "given_at",
         "prn.min_interval"},
        {"third dose",
         Ondansetron(),
         Dose(4, kT0 + minutes(90)),
         {{kT0, 4}, {kT0 + minutes(45), 4}},
         {},
         ErrorCode::kFailedPrecondition,
         "order",
         "prn.max_doses"},
        {"total at its limit",
         Labetalol(),
         Dose(10, kT0 + minutes(40), MedicationRoute::kIv, "SBP above threshold"),
         {{kT0 + minutes(10), 10}, {kT0 + minutes(25), 10}},
         high_for_10,
         std::nullopt,
         "",
         ""},
        {"total past its limit",
         Labetalol(),
         Dose(10, kT0 + minutes(40), MedicationRoute::kIv, "SBP above threshold"),
         {{kT0 + minutes(10), 10}, {kT0 + minutes(25), 10.5}},
         high_for_10,
         ErrorCode::kFailedPrecondition,
         "dose",
         "prn.max_total"},
        {"SBP high for the minutes",
         Labetalol(),
         Dose(10, kT0 + minutes(11), MedicationRoute::kIv, "SBP above threshold"),
         {},
         high_for_10,
         std::nullopt,
         "",
         ""},
        {"SBP high for less",
         Labetalol(),
         Dose(10, kT0 + minutes(6), MedicationRoute::kIv, "SBP above threshold"),
         {},
         high_for_10,
         ErrorCode::kFailedPrecondition,
         "sbp_condition",
         "prn.sbp_condition"},
        {"SBP dipped in between",
         Labetalol(),
         Dose(10, kT0 + minutes(11), MedicationRoute::kIv, "SBP above threshold"),
         {},
         dipped,
         ErrorCode::kFailedPrecondition,
         "sbp_condition",
         "prn.sbp_condition"},
        {"no readings",
         Labetalol(),
         Dose(10, kT0, MedicationRoute::kIv, "SBP above threshold"),
         {},
         {},
         ErrorCode::kFailedPrecondition,
         "sbp_condition",
         "prn.sbp_condition"},
    };
    for (const DoseCase& test : cases) {
        const Status status = CheckPrnDose(test.terms, test.request, test.earlier, test.readings);
        if (!test.code) {
            EXPECT_TRUE(status.ok()) << test.name << ": " << status.error().ToString();
            continue;
        }
        ASSERT_FALSE(status.ok()) << test.name;
        EXPECT_EQ(status.error().code, *test.code) << test.name;
        EXPECT_EQ(status.error().field, test.field) << test.name;
        EXPECT_EQ(status.error().message.rfind(test.rule + ": ", 0), 0U) << test.name << ": " << status.error().message;
        EXPECT_NE(status.error().message.find("Source: "), std::string::npos) << test.name;
    }
}

TEST(StandingOrdersTest, MaxTotalRefusesTheDoseThatPassesIt) {
    PrnOrderTerms terms = Ondansetron();
    terms.max_doses_per_session = 3;
    terms.max_total_per_session = 8;
    const std::vector<EarlierPrnDose> earlier = {{kT0, 4}, {kT0 + minutes(30), 2}};
    EXPECT_TRUE(CheckPrnDose(terms, Dose(2, kT0 + minutes(60)), earlier, {}).ok());
    const Status past = CheckPrnDose(terms, Dose(2.5, kT0 + minutes(60)), earlier, {});
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().field, "dose");
    EXPECT_EQ(past.error().message.rfind("prn.max_total: ", 0), 0U) << past.error().message;
}

TEST(StandingOrdersTest, SbpConditionOfZeroMinutesNeedsOneHighReading) {
    const SbpCondition now{160, 0};
    EXPECT_TRUE(SbpConditionMet(now, std::vector<SystolicReading>{{kT0, 160}}, kT0));
    EXPECT_FALSE(SbpConditionMet(now, std::vector<SystolicReading>{{kT0, 159}}, kT0));
    // A reading after the dose's time is not evidence for it.
    EXPECT_FALSE(SbpConditionMet(now, std::vector<SystolicReading>{{kT0 + minutes(1), 190}}, kT0));
}

struct TermsCase {
    std::string name;
    PrnOrderTerms terms;
    std::string field;  // empty: valid
};

TEST(StandingOrdersTest, OrderTermsStayWithinTheirBounds) {
    auto with = [](auto change) {
        PrnOrderTerms terms = Labetalol();
        change(terms);
        return terms;
    };
    const std::vector<TermsCase> cases = {
        {"labetalol", Labetalol(), ""},
        {"brand name", with([](PrnOrderTerms& t) { t.drug = "Zofran"; }), ""},
        {"unknown drug", with([](PrnOrderTerms& t) { t.drug = "unobtainium"; }), "x.drug"},
        {"ketamine", with([](PrnOrderTerms& t) { t.drug = "ketamine"; }), "x.drug"},
        {"no route", with([](PrnOrderTerms& t) { t.routes.clear(); }), "x.routes"},
        {"repeated route", with([](PrnOrderTerms& t) {
             t.routes = {MedicationRoute::kIv, MedicationRoute::kIv};
         }),
         "x.routes"},
        {"threshold low", with([](PrnOrderTerms& t) { t.sbp_condition->systolic_at_or_above_mmhg = 139; }),
         "x.sbp_condition.systolic_at_or_above_mmhg"},
        {"threshold high", with([](PrnOrderTerms& t) { t.sbp_condition->systolic_at_or_above_mmhg = 221; }),
         "x.sbp_condition.systolic_at_or_above_mmhg"},
        {"minutes", with([](PrnOrderTerms& t) { t.sbp_condition->sustained_minutes = 61; }),
         "x.sbp_condition.sustained_minutes"},
        {"no doses", with([](PrnOrderTerms& t) { t.max_doses_per_session = 0; }), "x.max_doses_per_session"},
        {"total below a dose", with([](PrnOrderTerms& t) { t.max_total_per_session = 9; }), "x.max_total_per_session"},
        {"total above the doses", with([](PrnOrderTerms& t) { t.max_total_per_session = 31; }),
         "x.max_total_per_session"},
        {"interval", with([](PrnOrderTerms& t) { t.min_interval_minutes = -1; }), "x.min_interval_minutes"},
        {"blank indication", with([](PrnOrderTerms& t) { t.indication = " "; }), "x.indication"},
    };
    for (const TermsCase& test : cases) {
        const Status status = ValidatePrnOrderTerms(test.terms, "x");
        if (test.field.empty()) {
            EXPECT_TRUE(status.ok()) << test.name << ": " << status.error().ToString();
        } else {
            ASSERT_FALSE(status.ok()) << test.name;
            EXPECT_EQ(status.error().field, test.field) << test.name << ": " << status.error().ToString();
        }
    }
}

TEST(StandingOrdersTest, InteractionsReadTheRecordThroughTheDictionary) {
    const std::vector<std::string> none;
    EXPECT_TRUE(PrnInteractions("ondansetron", std::vector<std::string>{"sertraline"}, none).empty());
    const std::vector<PrnInteraction> allergic =
        PrnInteractions("ondansetron", none, std::vector<std::string>{"Zofran"});
    ASSERT_EQ(allergic.size(), 1U);
    EXPECT_EQ(allergic[0].rule_id, "prn.allergy");
    const std::vector<PrnInteraction> duplicate =
        PrnInteractions("clonidine", std::vector<std::string>{"Catapres 0.1 mg"}, none);
    ASSERT_EQ(duplicate.size(), 1U);
    EXPECT_EQ(duplicate[0].rule_id, "prn.duplicate_therapy");
    const std::vector<PrnInteraction> depressants =
        PrnInteractions("lorazepam", std::vector<std::string>{"oxycodone"}, none);
    ASSERT_EQ(depressants.size(), 1U);
    EXPECT_EQ(depressants[0].rule_id, "prn.cns_depressant");
    EXPECT_FALSE(depressants[0].source.empty());
    const Error refusal = InteractionRefusal(depressants);
    EXPECT_EQ(refusal.code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(refusal.field, "drug");
    EXPECT_EQ(refusal.message.rfind("prn.cns_depressant: ", 0), 0U);
}

TEST(StandingOrdersTest, EveryRuleHasASource) {
    for (const PrnRule& rule : PrnRules()) {
        EXPECT_FALSE(rule.source.empty()) << rule.id;
    }
}

}  // namespace
}  // namespace kclinic::clinical
