#include "clinical/rems.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kFirstDevice{std::chrono::milliseconds{1'790'000'000'000LL}};

TimePoint At(minutes offset) {
    return kFirstDevice + offset;
}

void AddBp(RemsSessionFacts& facts, minutes offset, int systolic, int diastolic) {
    facts.vitals.push_back(RemsVital{"8480-6", static_cast<double>(systolic), At(offset)});
    facts.vitals.push_back(RemsVital{"8462-4", static_cast<double>(diastolic), At(offset)});
}

void AddSpo2(RemsSessionFacts& facts, minutes offset, double percent, const std::string& loinc = "59408-5") {
    facts.vitals.push_back(RemsVital{loinc, percent, At(offset)});
}

// A 56-mg session monitored for 125 minutes with a BP before, at +40 and before the end, and nothing abnormal.
RemsSessionFacts OrdinarySession() {
    RemsSessionFacts facts;
    facts.devices = {RemsDevice{56, "LOT-A", At(minutes{0})}};
    facts.monitoring_ended_at = At(minutes{125});
    AddBp(facts, minutes{-10}, 128, 82);
    AddBp(facts, minutes{40}, 146, 92);
    AddBp(facts, minutes{120}, 132, 84);
    AddSpo2(facts, minutes{40}, 97);
    facts.assessments.push_back(RemsAssessment{Instrument::kMoaas, 5, {}, At(minutes{30})});
    return facts;
}

RemsMonitoring Assess(const RemsSessionFacts& facts, const ClinicSettings& settings = {}) {
    Result<RemsMonitoring> form = AssessRemsMonitoring(facts, settings);
    EXPECT_TRUE(form.ok()) << form.error().ToString();
    return form.ok() ? *form : RemsMonitoring{};
}

TEST(RemsMonitoringTest, AnOrdinarySessionFillsEveryField) {
    const RemsMonitoring form = Assess(OrdinarySession());
    EXPECT_EQ(form.concomitant, RemsConcomitantMedications{});
    EXPECT_EQ(form.dose_mg, 56);
    EXPECT_EQ(form.dose, RemsDose::k56Mg);
    EXPECT_EQ(form.lot_numbers, std::vector<std::string>{"LOT-A"});
    EXPECT_EQ(form.first_device_at, At(minutes{0}));
    EXPECT_EQ(form.monitoring_ended_at, At(minutes{125}));
    EXPECT_EQ(form.monitoring_minutes, 125);
    EXPECT_TRUE(form.monitoring_minimum_met);
    ASSERT_TRUE(form.bp_before_administration.has_value());
    EXPECT_EQ(form.bp_before_administration->value.systolic_mmhg, 128);
    EXPECT_EQ(form.bp_before_administration->observed_at, At(minutes{-10}));
    ASSERT_TRUE(form.bp_40_minutes_after.has_value());
    EXPECT_EQ(form.bp_40_minutes_after->value.systolic_mmhg, 146);
    EXPECT_EQ(form.bp_40_minutes_after->value.diastolic_mmhg, 92);
    ASSERT_TRUE(form.bp_before_end.has_value());
    EXPECT_EQ(form.bp_before_end->value.systolic_mmhg, 132);
    EXPECT_EQ(form.bp_before_end->observed_at, At(minutes{120}));
    EXPECT_TRUE(form.vitals_acceptable_before_administration);
    EXPECT_TRUE(form.vitals_acceptable_before_end);
    EXPECT_FALSE(form.sedation);
    EXPECT_FALSE(form.dissociation);
    EXPECT_FALSE(form.respiratory_depression);
    EXPECT_EQ(form.lowest_spo2_percent, 97);
}

TEST(RemsMonitoringTest, DoseIsTheSumOfTheDevicesWithEachLotOnce) {
    RemsSessionFacts facts = OrdinarySession();
    facts.devices = {RemsDevice{28, "LOT-B", At(minutes{5})}, RemsDevice{56, "LOT-A", At(minutes{0})},
                     RemsDevice{28, "LOT-A", At(minutes{10})}};
    const RemsMonitoring form = Assess(facts);
    EXPECT_EQ(form.dose_mg, 112);
    EXPECT_EQ(form.dose, RemsDose::kOther);
    EXPECT_EQ(form.lot_numbers, (std::vector<std::string>{"LOT-A", "LOT-B"}));  // in the order first given
    EXPECT_EQ(form.first_device_at, At(minutes{0}));
    EXPECT_EQ(RemsDoseFor(84), RemsDose::k84Mg);
    EXPECT_EQ(RemsDoseFor(56), RemsDose::k56Mg);
    EXPECT_EQ(RemsDoseFor(28), RemsDose::kOther);
    EXPECT_EQ(RemsDoseName(RemsDose::k84Mg), "84_mg");
    EXPECT_EQ(RemsDoseName(RemsDose::kOther), "other");
}

TEST(RemsMonitoringTest, MonitoringMinutesRoundDownAndTheMinimumIs120) {
    struct Case {
        std::chrono::milliseconds monitored;
        int minutes;
        bool met;
    };
    for (const Case& c : {Case{minutes{120}, 120, true}, Case{minutes{120} - std::chrono::milliseconds{1}, 119, false},
                          Case{minutes{95}, 95, false}, Case{minutes{0}, 0, false}}) {
        RemsSessionFacts facts = OrdinarySession();
        facts.monitoring_ended_at = kFirstDevice + c.monitored;
        const RemsMonitoring form = Assess(facts);
        EXPECT_EQ(form.monitoring_minutes, c.minutes) << c.monitored.count();
        EXPECT_EQ(form.monitoring_minimum_met, c.met) << c.monitored.count();
    }
}

TEST(RemsMonitoringTest, TheFortyMinuteReadingIsTheClosestWithinThirtyToFifty) {
    struct Case {
        std::vector<int> offsets;  // minutes after the first device
        std::optional<int> chosen;
    };
    const std::vector<Case> cases = {
        {{25, 55}, std::nullopt},  // both outside +30..+50
        {{30}, 30},                // the window is inclusive
        {{50}, 50},
        {{29, 51}, std::nullopt},
        {{33, 44, 49}, 44},  // the closest to +40
        {{35, 45}, 35},      // a tie: the earlier
        {{38, 41}, 41},
    };
    for (const Case& c : cases) {
        RemsSessionFacts facts = OrdinarySession();
        facts.vitals.clear();
        for (int offset : c.offsets) {
            AddBp(facts, minutes{offset}, 100 + offset, 70);
        }
        const RemsMonitoring form = Assess(facts);
        ASSERT_EQ(form.bp_40_minutes_after.has_value(), c.chosen.has_value()) << c.offsets.front();
        if (c.chosen) {
            EXPECT_EQ(form.bp_40_minutes_after->observed_at, At(minutes{*c.chosen})) << c.offsets.front();
            EXPECT_EQ(form.bp_40_minutes_after->value.systolic_mmhg, 100 + *c.chosen);
        }
    }
}

TEST(RemsMonitoringTest, ABloodPressureNeedsBothValuesAtOneInstant) {
    RemsSessionFacts facts = OrdinarySession();
    facts.vitals.clear();
    facts.vitals.push_back(RemsVital{"8480-6", 150, At(minutes{-5})});
    facts.vitals.push_back(RemsVital{"8462-4", 95, At(minutes{-4})});  // a minute later: not the same measurement
    AddBp(facts, minutes{-20}, 124, 79);
    facts.vitals.push_back(RemsVital{"8480-6", 131.6, At(minutes{60})});
    facts.vitals.push_back(RemsVital{"8462-4", 80.5, At(minutes{60})});
    const RemsMonitoring form = Assess(facts);
    ASSERT_TRUE(form.bp_before_administration.has_value());
    EXPECT_EQ(form.bp_before_administration->observed_at, At(minutes{-20}));
    ASSERT_TRUE(form.bp_before_end.has_value());
    EXPECT_EQ(form.bp_before_end->value.systolic_mmhg, 132);  // rounded to whole mmHg
    EXPECT_EQ(form.bp_before_end->value.diastolic_mmhg, 81);
}

TEST(RemsMonitoringTest, TheEndReadingIsTakenAfterTheFirstDeviceAndNotAfterTheEnd) {
    RemsSessionFacts facts = OrdinarySession();
    facts.vitals.clear();
    AddBp(facts, minutes{-10}, 128, 82);
    AddBp(facts, minutes{130}, 120, 80);  // after the end of monitoring
    RemsMonitoring form = Assess(facts);
    EXPECT_FALSE(form.bp_before_end.has_value());  // the pre-dose reading is not a reading before completion
    EXPECT_FALSE(form.vitals_acceptable_before_end);
    AddBp(facts, minutes{125}, 150, 95);  // at the end: counts
    form = Assess(facts);
    ASSERT_TRUE(form.bp_before_end.has_value());
    EXPECT_EQ(form.bp_before_end->observed_at, At(minutes{125}));
    AddBp(facts, minutes{0}, 140, 90);  // at the first device: still before administration
    form = Assess(facts);
    ASSERT_TRUE(form.bp_before_administration.has_value());
    EXPECT_EQ(form.bp_before_administration->observed_at, At(minutes{0}));
}

TEST(RemsMonitoringTest, VitalSignsAcceptableFollowTheGateAndTheReviewThresholds) {
    RemsSessionFacts facts = OrdinarySession();
    facts.pre_dose_bp_overridden = true;
    EXPECT_FALSE(Assess(facts).vitals_acceptable_before_administration);

    struct Case {
        int systolic;
        int diastolic;
        bool acceptable;
    };
    for (const Case& c : {Case{179, 109, true}, Case{180, 100, false}, Case{150, 110, false}}) {
        RemsSessionFacts late = OrdinarySession();
        AddBp(late, minutes{122}, c.systolic, c.diastolic);
        EXPECT_EQ(Assess(late).vitals_acceptable_before_end, c.acceptable) << c.systolic << "/" << c.diastolic;
    }
    ClinicSettings stricter;
    stricter.screening.intake_bp_review_systolic = 160;
    RemsSessionFacts late = OrdinarySession();
    AddBp(late, minutes{122}, 165, 90);
    EXPECT_TRUE(Assess(late).vitals_acceptable_before_end);
    EXPECT_FALSE(Assess(late, stricter).vitals_acceptable_before_end);
}

TEST(RemsMonitoringTest, SedationAndDissociationCountOnlyInsideTheWindow) {
    RemsSessionFacts facts = OrdinarySession();
    facts.assessments = {
        RemsAssessment{Instrument::kMoaas, 4, {"sedation"}, At(minutes{-5})},        // before the first device
        RemsAssessment{Instrument::kCadss, 12, {"dissociation"}, At(minutes{126})},  // after the end
        RemsAssessment{Instrument::kCadss6, 10, {}, At(minutes{40})},                // CADSS-6: no flag
        RemsAssessment{Instrument::kPhq9, 20, {"probable_major_depression"}, At(minutes{60})},  // not asked about
    };
    RemsMonitoring form = Assess(facts);
    EXPECT_FALSE(form.sedation);
    EXPECT_FALSE(form.dissociation);

    facts.assessments.push_back(RemsAssessment{Instrument::kMoaas, 4, {"sedation"}, At(minutes{0})});
    facts.assessments.push_back(RemsAssessment{Instrument::kCadss, 12, {"dissociation"}, At(minutes{125})});
    form = Assess(facts);
    EXPECT_TRUE(form.sedation);
    EXPECT_TRUE(form.dissociation);
}

TEST(RemsMonitoringTest, RespiratoryDepressionNeedsTwoConsecutiveReadingsBelow93) {
    struct Case {
        std::vector<double> readings;  // one every 10 minutes from +10
        bool depression;
        double lowest;
    };
    const std::vector<Case> cases = {
        {{97, 92, 96, 92}, false, 92},  // below 93 twice, never in a row
        {{97, 92, 91, 96}, true, 91},
        {{93, 93, 93}, false, 93},  // 93 itself is not below 93
        {{92}, false, 92},
    };
    for (const Case& c : cases) {
        RemsSessionFacts facts = OrdinarySession();
        facts.vitals.clear();
        for (std::size_t i = 0; i < c.readings.size(); ++i) {
            AddSpo2(facts, minutes{10 * static_cast<int>(i + 1)}, c.readings[i]);
        }
        const RemsMonitoring form = Assess(facts);
        EXPECT_EQ(form.respiratory_depression, c.depression) << c.readings.size() << " readings";
        EXPECT_EQ(form.lowest_spo2_percent, c.lowest);
    }
}

TEST(RemsMonitoringTest, OneMeasurementUnderBothSpo2CodesIsOneReading) {
    RemsSessionFacts facts = OrdinarySession();
    facts.vitals.clear();
    AddSpo2(facts, minutes{20}, 92, "59408-5");
    AddSpo2(facts, minutes{20}, 91, "2708-6");
    AddSpo2(facts, minutes{30}, 96, "59408-5");
    AddSpo2(facts, minutes{-5}, 90);   // before the first device: outside the window
    AddSpo2(facts, minutes{126}, 90);  // after the end
    RemsMonitoring form = Assess(facts);
    EXPECT_FALSE(form.respiratory_depression);
    EXPECT_EQ(form.lowest_spo2_percent, 91);

    AddSpo2(facts, minutes{25}, 92, "2708-6");  // arterial, between the two: consecutive with +20
    form = Assess(facts);
    EXPECT_TRUE(form.respiratory_depression);

    facts.vitals.clear();
    EXPECT_FALSE(Assess(facts).lowest_spo2_percent.has_value());
}

TEST(RemsMonitoringTest, ConcomitantMedicationsTickTheFormsFiveBoxes) {
    struct Case {
        std::string name;
        RemsConcomitantMedications ticked;
    };
    const std::vector<Case> cases = {
        {"lorazepam", {.benzodiazepine = true}},
        {"zolpidem", {.sedative_hypnotic = true}},
        {"lisdexamfetamine", {.psychostimulant = true}},
        {"phenelzine", {.mao_inhibitor = true}},
        {"hydrocodone/acetaminophen", {.opioid = true}},
        {"Tramadol Hydrochloride", {.opioid = true}},
        // Brand names, as the drug dictionary reads them.
        {"Xanax 0.5 mg", {.benzodiazepine = true}},
        {"Ambien", {.sedative_hypnotic = true}},
        {"Adderall XR 20 mg", {.psychostimulant = true}},
        {"Emsam", {.mao_inhibitor = true}},
        {"Norco 10/325", {.opioid = true}},
        {"sertraline", {}},  // an oral antidepressant: not a box on the form
        {"gabapentin", {}},  // another CNS depressant: not a box on the form
        {"unknownium", {}},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(RemsConcomitantMedicationsOf({c.name}), c.ticked) << c.name;
    }
    RemsSessionFacts facts = OrdinarySession();
    facts.medications = {"alprazolam", "methylphenidate", "sertraline"};
    EXPECT_EQ(Assess(facts).concomitant, (RemsConcomitantMedications{.benzodiazepine = true, .psychostimulant = true}));
}

TEST(RemsMonitoringTest, RefusesASessionWithoutDevicesOrEndingBeforeTheFirst) {
    RemsSessionFacts facts = OrdinarySession();
    facts.devices.clear();
    Result<RemsMonitoring> none = AssessRemsMonitoring(facts, ClinicSettings{});
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(none.error().field, "devices");

    facts = OrdinarySession();
    facts.monitoring_ended_at = kFirstDevice - seconds{1};
    Result<RemsMonitoring> early = AssessRemsMonitoring(facts, ClinicSettings{});
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().field, "monitoring_ended_at");
}

TEST(RemsNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kRemsDoseNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
