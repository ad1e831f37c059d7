#include "clinical/patient_guidance.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(PatientGuidance, TheClinicsOwnCrisisServicesReplaceTheRegions) {
    ClinicSettings settings;
    settings.region = Region::kEu;
    EXPECT_EQ(CrisisResourcesOf(settings).front().contact, CrisisResources(Region::kEu).front().contact);

    ASSERT_TRUE(SetSetting(settings, "portal.crisis_resources",
                           " On-call psychiatrist: call 555-0100, day and night ;Samaritans: call 116 123;")
                    .ok());
    const std::vector<CrisisResource> own = CrisisResourcesOf(settings);
    ASSERT_EQ(own.size(), 2U);
    EXPECT_EQ(own[0].name, "On-call psychiatrist");
    EXPECT_EQ(own[0].contact, "call 555-0100, day and night");
    EXPECT_EQ(own[1].name, "Samaritans");
    EXPECT_NE(std::string(own[1].source).find("portal.crisis_resources"), std::string::npos);

    ASSERT_TRUE(SetSetting(settings, "portal.crisis_resources", "").ok());
    EXPECT_EQ(CrisisResourcesOf(settings).size(), CrisisResources(Region::kEu).size());
}

TEST(PatientGuidance, CrisisTextsAreBounded) {
    ClinicSettings settings;
    for (const std::string& refused :
         {std::string("no colon here"), std::string(": 911"), std::string("Line:"), std::string("A: 1\nB: 2"),
          std::string("A: 1; B: 2; C: 3; D: 4; E: 5; F: 6"), std::string(kCrisisNameMaxChars + 1, 'n') + ": 1",
          "Line: " + std::string(kCrisisContactMaxChars + 1, 'c')}) {
        const Status status = SetSetting(settings, "portal.crisis_resources", refused);
        ASSERT_FALSE(status.ok()) << refused;
        EXPECT_EQ(status.error().field, "portal.crisis_resources");
    }
    EXPECT_TRUE(SetSetting(settings, "portal.crisis_resources",
                           std::string(kCrisisNameMaxChars, 'n') + ": " + std::string(kCrisisContactMaxChars, 'c'))
                    .ok());
    EXPECT_TRUE(settings.portal.crisis_resources.size() > kCrisisNameMaxChars);

    // Counted in characters, not bytes: 500 "é" (1,000 bytes) fit.
    std::string accents;
    for (std::size_t i = 0; i < kCrisisTextMaxChars; ++i) {
        accents += "\u00e9";
    }
    EXPECT_TRUE(SetSetting(settings, "portal.crisis_text", accents).ok());
    EXPECT_EQ(SetSetting(settings, "portal.crisis_text", accents + "e").error().field, "portal.crisis_text");
    EXPECT_FALSE(SetSetting(settings, "portal.crisis_text", "line\nbreak").ok());
    EXPECT_EQ(settings.portal.crisis_text, accents);
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
