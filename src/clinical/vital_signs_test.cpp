#include "clinical/vital_signs.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kclinic::clinical {
namespace {

struct VitalCase {
    std::string loinc;
    double value;  // a blood pressure's systolic
    std::string unit;
    std::optional<double> diastolic;
    std::optional<double> mean_arterial;
    std::string error;  // empty: accepted
};

constexpr std::optional<double> kNone = std::nullopt;

TEST(VitalSignsTest, PlausibilityEdgesAndUnits) {
    const std::vector<VitalCase> cases = {
        {"85354-9", 40, "mm[Hg]", 20, kNone, ""},
        {"85354-9", 300, "mm[Hg]", 200, 233, ""},
        {"85354-9", 39, "mm[Hg]", 20, kNone, "systolic: must be between 40 and 300 mm[Hg] (got 39 mm[Hg])"},
        {"85354-9", 301, "mm[Hg]", 90, kNone, "systolic: must be between 40 and 300 mm[Hg] (got 301 mm[Hg])"},
        {"85354-9", 120, "mmHg", 80, kNone, "unit: blood_pressure is recorded in mm[Hg] (got \"mmHg\")"},
        {"85354-9", 120, "mm[Hg]", 19, kNone, "diastolic: must be between 20 and 200 mm[Hg] (got 19 mm[Hg])"},
        {"8867-4", 35, "/min", kNone, kNone, ""},  // unusual but possible: accepted, alert rules judge it
        {"8867-4", 251, "/min", kNone, kNone, "value: must be between 20 and 250 /min (got 251 /min)"},
        {"59408-5", 100, "%", kNone, kNone, ""},
        {"59408-5", 100.5, "%", kNone, kNone, "value: must be between 50 and 100 % (got 100.5 %)"},
        {"9279-1", 1, "/min", kNone, kNone, "value: must be between 2 and 80 /min (got 1 /min)"},
        {"8310-5", 38.4, "Cel", kNone, kNone, ""},
    };
    for (const VitalCase& c : cases) {
        Status status = ValidateVitalSign({c.loinc, c.value, c.unit, c.diastolic, c.mean_arterial});
        if (c.error.empty()) {
            EXPECT_TRUE(status.ok()) << c.loinc << " " << c.value << ": " << status.error().ToString();
        } else {
            ASSERT_FALSE(status.ok()) << c.loinc << " " << c.value;
            EXPECT_EQ(status.error().ToString(), c.error) << c.loinc << " " << c.value;
        }
    }
}

// One reading, one record (HL7 FHIR BP panel 85354-9): a component alone is refused naming what is missing, the
// diastolic is below the systolic, and a mean arterial pressure lies between them.
TEST(VitalSignsTest, ABloodPressureIsOneCoherentReading) {
    struct Case {
        std::string loinc;
        double value;
        std::optional<double> diastolic;
        std::optional<double> mean_arterial;
        std::string field;  // empty: accepted
    };
    const std::vector<Case> cases = {
        {"85354-9", 120, 80, 93, ""},
        {"85354-9", 120, kNone, kNone, "diastolic"},    // the panel without its diastolic
        {"8480-6", 120, kNone, kNone, "diastolic"},     // a lone systolic: its diastolic is missing
        {"8462-4", 80, kNone, kNone, "systolic"},       // a lone diastolic: its systolic is missing
        {"8478-0", 93, kNone, kNone, "mean_arterial"},  // a lone mean arterial pressure
        {"85354-9", 120, 120, kNone, "diastolic"},      // diastolic not below systolic
        {"85354-9", 110, 130, kNone, "diastolic"},      // swapped
        {"85354-9", 120, 80, 80, "mean_arterial"},      // mean not above the diastolic
        {"85354-9", 120, 80, 125, "mean_arterial"},     // mean above the systolic
        {"8867-4", 70, 40, kNone, "diastolic"},         // a heart rate has no diastolic
        {"59408-5", 97, kNone, 90, "mean_arterial"},    // nor an SpO2 a mean arterial pressure
    };
    for (const Case& c : cases) {
        const std::string unit(FindVitalSign(c.loinc)->ucum_unit);
        Status status = ValidateVitalSign({c.loinc, c.value, unit, c.diastolic, c.mean_arterial});
        if (c.field.empty()) {
            EXPECT_TRUE(status.ok()) << c.loinc << ": " << status.error().ToString();
        } else {
            ASSERT_FALSE(status.ok()) << c.loinc << " " << c.value;
            EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument) << status.error().ToString();
            EXPECT_EQ(status.error().field, c.field) << status.error().ToString();
        }
    }
}

TEST(VitalSignsTest, UnknownCodeIsRefusedWithTheKnownList) {
    Status status = ValidateVitalSign({"1234-5", 1, "/min", kNone, kNone});
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().field, "loinc");
    EXPECT_NE(status.error().message.find("85354-9 blood_pressure"), std::string::npos);
}

// A weight more than records.weight_change_percent (10 %) off the latest valid one measured within
// records.weight_change_window_days (30) needs confirming; the boundaries are inclusive of the allowed side.
TEST(VitalSignsTest, AWeightFarFromTheLatestNeedsConfirming) {
    const TimePoint day0{std::chrono::hours{24 * 20000}};
    const WeightReading latest{80, day0};
    struct Case {
        double weight_kg;
        int days_after;
        std::optional<WeightReading> latest;
        bool confirmed;
        bool accepted;
    };
    const std::vector<Case> cases = {
        {88, 1, latest, false, true},        // +10 %: at the limit
        {88.5, 1, latest, false, false},     // +10.6 %
        {72, 1, latest, false, true},        // -10 %
        {71.5, 1, latest, false, false},     // -10.6 %
        {176, 1, latest, false, false},      // pounds for kilograms
        {176, 1, latest, true, true},        // confirmed
        {95, 30, latest, false, false},      // 30 days after: still inside the window
        {95, 31, latest, false, true},       // 31 days after: outside it
        {95, -29, latest, false, false},     // a back-dated weight near the latest one is compared too
        {95, 1, std::nullopt, false, true},  // the first weight: nothing to compare with
    };
    const RecordSettings settings;
    for (const Case& c : cases) {
        const TimePoint at = day0 + std::chrono::days{c.days_after};
        const Status status = CheckWeightChange(c.weight_kg, at, c.latest, c.confirmed, settings);
        const std::string what = std::to_string(c.weight_kg) + " kg, day " + std::to_string(c.days_after);
        if (c.accepted) {
            EXPECT_TRUE(status.ok()) << what << ": " << status.error().ToString();
        } else {
            ASSERT_FALSE(status.ok()) << what;
            EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition) << what;
            EXPECT_EQ(status.error().field, "confirmed") << what;
        }
    }
}

TEST(VitalSignsTest, TheWeightChangeLimitsComeFromTheSettings) {
    ClinicSettings settings;
    ASSERT_TRUE(SetSetting(settings, "records.weight_change_percent", "5").ok());
    ASSERT_TRUE(SetSetting(settings, "records.weight_change_window_days", "7").ok());
    const TimePoint day0{std::chrono::hours{24 * 20000}};
    const WeightReading latest{80, day0};
    EXPECT_FALSE(CheckWeightChange(84.5, day0 + std::chrono::days{7}, latest, false, settings.records).ok());
    EXPECT_TRUE(CheckWeightChange(84.5, day0 + std::chrono::days{8}, latest, false, settings.records).ok());
    EXPECT_TRUE(CheckWeightChange(84, day0 + std::chrono::days{1}, latest, false, settings.records).ok());
    EXPECT_FALSE(SetSetting(settings, "records.weight_change_percent", "26").ok());
    EXPECT_FALSE(SetSetting(settings, "records.weight_change_window_days", "0").ok());
}

}  // namespace
}  // namespace kclinic::clinical
