#include "clinical/scheduling.hpp"

#include <gtest/gtest.h>

namespace kclinic::clinical {
namespace {

TEST(SchedulingTest, Placeholder) {
    EXPECT_EQ(AppointmentLength(AppointmentType::kIvSession, ClinicSettings{}), std::chrono::minutes{130});
}

}  // namespace
}  // namespace kclinic::clinical
