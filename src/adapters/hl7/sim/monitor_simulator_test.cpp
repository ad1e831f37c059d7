#include "adapters/hl7/sim/monitor_simulator.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/hl7/message/code_map.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::adapters::hl7::sim {
namespace {

// What each scenario must show, checked on 20 beds, so that a demo or a load run shows what it says.
struct ScenarioCase {
    std::string name;
    Scenario scenario;
    double event_minute;  // when its event is at its strongest
    bool (*at_event)(const VitalSet&);
    std::string expected_at_event;
};

TEST(SimulatedBed, EveryScenarioStartsCalmAndShowsItsEvent) {
    const std::vector<ScenarioCase> cases = {
        {"normal", Scenario::kNormal, 40,
         [](const VitalSet& v) { return v.systolic < 170 && v.diastolic < 105 && v.spo2 >= 95 && v.heart_rate >= 55; },
         "a rise that stays below the alert thresholds"},
        {"hypertensive-spike", Scenario::kHypertensiveSpike, 40,
         [](const VitalSet& v) { return v.systolic >= 180 && v.diastolic >= 110; }, "at least 180/110 mm[Hg]"},
        {"desaturation", Scenario::kDesaturation, 25, [](const VitalSet& v) { return v.spo2 < 90; }, "SpO2 below 90 %"},
        {"bradycardia", Scenario::kBradycardia, 20, [](const VitalSet& v) { return v.heart_rate < 50; },
         "heart rate below 50 /min"},
    };
    for (const ScenarioCase& each : cases) {
        for (int bed_number = 1; bed_number <= 20; ++bed_number) {
            const SimulatedBed bed(bed_number, each.scenario, 7);
            const VitalSet start = bed.At(0);
            EXPECT_LT(start.systolic, 140) << each.name << " bed " << bed_number;
            EXPECT_LT(start.diastolic, 90) << each.name << " bed " << bed_number;
            EXPECT_GE(start.spo2, 95) << each.name << " bed " << bed_number;
            EXPECT_GE(start.heart_rate, 58) << each.name << " bed " << bed_number;
            EXPECT_TRUE(each.at_event(bed.At(each.event_minute)))
                << each.name << " bed " << bed_number << ": expected " << each.expected_at_event;
        }
    }
}

TEST(SimulatedBed, BloodPressurePeaksAroundFortyMinutesAndFades) {
    const SimulatedBed bed(1, Scenario::kNormal, 7);
    // Averaged over a few minutes, so the noise does not decide.
    const auto systolic_around = [&bed](double minute) {
        double sum = 0;
        for (int i = -2; i <= 2; ++i) {
            sum += bed.At(minute + i).systolic;
        }
        return sum / 5;
    };
    EXPECT_GT(systolic_around(40), systolic_around(5) + 10);
    EXPECT_GT(systolic_around(40), systolic_around(20));
    EXPECT_GT(systolic_around(40), systolic_around(90));
    EXPECT_LT(systolic_around(150), systolic_around(90));
}

TEST(SimulatedBed, IsRepeatableAndDiffersBetweenBeds) {
    EXPECT_EQ(SimulatedBed(3, Scenario::kNormal, 7).At(12.5).systolic,
              SimulatedBed(3, Scenario::kNormal, 7).At(12.5).systolic);
    EXPECT_NE(SimulatedBed(3, Scenario::kNormal, 7).At(12.5).systolic,
              SimulatedBed(4, Scenario::kNormal, 7).At(12.5).systolic);
    EXPECT_EQ(SimulatedBed(3, Scenario::kNormal, 7).DeviceId(), "KCLINIC-SIM-BED-3");
}

TEST(ScenarioNamed, KnowsTheFourScenarios) {
    EXPECT_EQ(ScenarioNamed("normal"), Scenario::kNormal);
    EXPECT_EQ(ScenarioNamed("hypertensive-spike"), Scenario::kHypertensiveSpike);
    EXPECT_EQ(ScenarioNamed("desaturation"), Scenario::kDesaturation);
    EXPECT_EQ(ScenarioNamed("bradycardia"), Scenario::kBradycardia);
    EXPECT_EQ(ScenarioNamed("Normal"), std::nullopt);
}

// The simulator's message, encoded and read back by the listener's own parser and code map, gives the readings it
// was made of, in both codings: what kclinic records of a simulated monitor is what the simulator meant.
TEST(SimulatedMessage, ReadsBackAsTheVitalSetInBothCodings) {
    const SimulatedBed bed(2, Scenario::kHypertensiveSpike, 7);
    const VitalSet set = bed.At(40);
    const clinical::TimePoint at{std::chrono::milliseconds(1'796'000'000'000)};
    for (const Codes codes : {Codes::kLoinc, Codes::kMdc}) {
        const std::string text = EncodeOruR01(SimulatedMessage(bed, set, at, codes, "SIM-2-17"));
        const Hl7Result<OruR01> parsed = ParseOruR01(text);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << text;
        EXPECT_EQ(parsed->header.control_id, "SIM-2-17");
        const MappedObservations mapped = MapObservations(parsed.value());
        EXPECT_TRUE(mapped.unmapped.empty()) << mapped.unmapped.front().reason;
        const GroupedReadings grouped = GroupBloodPressures(mapped.readings);
        ASSERT_EQ(grouped.blood_pressures.size(), 1U) << text;
        const BloodPressureReading& pressure = grouped.blood_pressures.front();
        EXPECT_EQ(pressure.systolic_mm_hg, std::round(set.systolic));
        EXPECT_EQ(pressure.diastolic_mm_hg, std::round(set.diastolic));
        EXPECT_EQ(pressure.observed_at, at);
        EXPECT_EQ(pressure.equipment_id, "KCLINIC-SIM-BED-2");
        EXPECT_TRUE(pressure.valid);
        std::vector<std::string> others;
        for (const MappedReading& reading : grouped.others) {
            others.push_back(reading.loinc + "=" + std::to_string(std::lround(*reading.value)) + " " +
                             reading.ucum_unit);
        }
        EXPECT_EQ(others,
                  (std::vector<std::string>{"8867-4=" + std::to_string(std::lround(set.heart_rate)) + " /min",
                                            "59408-5=" + std::to_string(std::lround(set.spo2)) + " %",
                                            "9279-1=" + std::to_string(std::lround(set.respiratory_rate)) + " /min"}));
    }
}

}  // namespace
}  // namespace kclinic::adapters::hl7::sim
