#include "clinical/patient_guidance.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kclinic::clinical {
namespace {

TEST(PatientGuidance, EsketamineFollowsTheSpravatoLabel) {
    const PatientText text = PreparationInstructions(Route::kEsketamineNasal);
    const std::string body(text.text);
    EXPECT_NE(body.find("2 hours"), std::string::npos);
    EXPECT_NE(body.find("30 minutes"), std::string::npos);
    EXPECT_NE(body.find("next day, after a restful sleep"), std::string::npos);
    EXPECT_NE(std::string(text.source).find("[LABEL-US]"), std::string::npos);
}

TEST(PatientGuidance, EveryRouteHasTextWithASource) {
    for (const Route route : {Route::kIv, Route::kEsketamineNasal, Route::kIm, Route::kOral, Route::kSublingual}) {
        const PatientText text = PreparationInstructions(route);
        EXPECT_FALSE(text.text.empty()) << RouteName(route);
        EXPECT_FALSE(text.source.empty()) << RouteName(route);
    }
    EXPECT_NE(std::string(PreparationInstructions(Route::kIv).text).find("responsible adult"), std::string::npos);
}

TEST(PatientGuidance, CrisisResourcesAreThoseOfTheRegion) {
    ASSERT_FALSE(CrisisResources(Region::kUs).empty());
    ASSERT_FALSE(CrisisResources(Region::kEu).empty());
    EXPECT_NE(std::string(CrisisResources(Region::kUs)[1].contact).find("988"), std::string::npos);
    EXPECT_NE(std::string(CrisisResources(Region::kEu)[0].contact).find("112"), std::string::npos);
    for (const Region region : {Region::kUs, Region::kEu}) {
        for (const CrisisResource& resource : CrisisResources(region)) {
            EXPECT_FALSE(resource.source.empty()) << resource.name;
        }
    }
}

TEST(PatientGuidance, OnlyThePatientsOwnQuestionnairesAreSelfReport) {
    int self_report = 0;
    for (const Instrument instrument : AllInstruments()) {
        self_report += IsSelfReport(instrument) ? 1 : 0;
    }
    EXPECT_EQ(self_report, 4);
    EXPECT_TRUE(IsSelfReport(Instrument::kPhq9));
    EXPECT_TRUE(IsSelfReport(Instrument::kQidsSr16));
    EXPECT_FALSE(IsSelfReport(Instrument::kMadrs));
    EXPECT_FALSE(IsSelfReport(Instrument::kCssrsScreen));
}

}  // namespace
}  // namespace kclinic::clinical
