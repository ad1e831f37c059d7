#include "clinical/vital_signs.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kclinic::clinical {
namespace {

struct VitalCase {
    std::string loinc;
    double value;
    std::string unit;
    std::string error;  // empty: accepted
};

TEST(VitalSignsTest, PlausibilityEdgesAndUnits) {
    const std::vector<VitalCase> cases = {
        {"8480-6", 40, "mm[Hg]", ""},
        {"8480-6", 300, "mm[Hg]", ""},
        {"8480-6", 39, "mm[Hg]", "value: must be between 40 and 300 mm[Hg] (got 39 mm[Hg])"},
        {"8480-6", 301, "mm[Hg]", "value: must be between 40 and 300 mm[Hg] (got 301 mm[Hg])"},
        {"8480-6", 120, "mmHg", "unit: systolic_bp is recorded in mm[Hg] (got \"mmHg\")"},
        {"8462-4", 19, "mm[Hg]", "value: must be between 20 and 200 mm[Hg] (got 19 mm[Hg])"},
        {"8867-4", 35, "/min", ""},  // unusual but possible: accepted, alert rules judge it
        {"8867-4", 251, "/min", "value: must be between 20 and 250 /min (got 251 /min)"},
        {"59408-5", 100, "%", ""},
        {"59408-5", 100.5, "%", "value: must be between 50 and 100 % (got 100.5 %)"},
        {"9279-1", 1, "/min", "value: must be between 2 and 80 /min (got 1 /min)"},
        {"8310-5", 38.4, "Cel", ""},
    };
    for (const VitalCase& c : cases) {
        Status status = ValidateVitalSign(c.loinc, c.value, c.unit);
        if (c.error.empty()) {
            EXPECT_TRUE(status.ok()) << c.loinc << " " << c.value << ": " << status.error().ToString();
        } else {
            ASSERT_FALSE(status.ok()) << c.loinc << " " << c.value;
            EXPECT_EQ(status.error().ToString(), c.error) << c.loinc << " " << c.value;
        }
    }
}

TEST(VitalSignsTest, UnknownCodeIsRefusedWithTheKnownList) {
    Status status = ValidateVitalSign("1234-5", 1, "/min");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().field, "loinc");
    EXPECT_NE(status.error().message.find("8480-6 systolic_bp"), std::string::npos);
}

}  // namespace
}  // namespace kclinic::clinical
