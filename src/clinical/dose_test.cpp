#include "clinical/dose.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

ClinicSettings Us() {
    return ClinicSettings{};
}

ClinicSettings Eu() {
    ClinicSettings settings;
    settings.region = Region::kEu;
    return settings;
}

ClinicSettings With(std::function<void(ClinicSettings&)> change) {
    ClinicSettings settings;
    change(settings);
    return settings;
}

DoseRequest Iv(double weight_kg) {
    return DoseRequest{.route = Route::kIv, .weight_kg = weight_kg};
}
DoseRequest Im(double weight_kg) {
    return DoseRequest{.route = Route::kIm, .weight_kg = weight_kg};
}
DoseRequest Esk(std::optional<double> dose_mg, bool first_dose = false) {
    return DoseRequest{
        .route = Route::kEsketamineNasal, .weight_kg = 70.0, .dose_mg = dose_mg, .first_dose = first_dose};
}
DoseRequest EskEu(std::optional<double> dose_mg, bool first_dose, double age_years, bool japanese = false) {
    DoseRequest request = Esk(dose_mg, first_dose);
    request.age_years = age_years;
    request.japanese_ancestry = japanese;
    return request;
}
DoseRequest Oral(double weight_kg) {
    return DoseRequest{.route = Route::kOral, .weight_kg = weight_kg};
}
DoseRequest Sl(double weight_kg) {
    return DoseRequest{.route = Route::kSublingual, .weight_kg = weight_kg};
}

DoseRequest Change(DoseRequest request, std::function<void(DoseRequest&)> change) {
    change(request);
    return request;
}

DoseRequest Basis(DoseRequest request, WeightBasis basis, std::optional<double> height_cm, std::string sex) {
    request.weight_basis = basis;
    request.height_cm = height_cm;
    request.sex = std::move(sex);
    return request;
}

// Everything a successful order must equal; an absent optional must be absent in the order.
struct Want {
    double total_mg = 0.0;
    std::optional<double> rate_mg_per_h = std::nullopt;
    std::optional<double> volume_ml = std::nullopt;
    std::optional<double> rate_ml_per_h = std::nullopt;
    std::optional<int> devices = std::nullopt;
    std::optional<int> rest_minutes_between_devices = std::nullopt;
    std::optional<int> min_administration_minutes = std::nullopt;
    WeightBasis weight_basis = WeightBasis::kActual;
    double weight_used_kg = 0.0;
    std::optional<double> ideal_body_weight_kg = std::nullopt;
    std::optional<double> mg_per_kg = std::nullopt;
    std::optional<double> minutes = std::nullopt;
    std::string note = {};  // one of the notes must equal this exactly; empty: not checked
};

struct AcceptCase {
    std::string name = {};
    DoseRequest request;
    ClinicSettings settings;
    Want want;
};

TEST(ComputeDoseTest, AcceptedOrders) {
    // Hand-computed Devine values: male 170 cm = 50 + 2.3 x (66.9291 - 60) = 65.9370 kg; female 160 cm = 45.5 +
    // 2.3 x (62.9921 - 60) = 52.3819 kg; male 190 cm = 84.0472 kg. Adjusted male 170 cm / 100 kg = 65.9370 + 0.4 x
    // 34.0630 = 79.5622 kg.
    const std::vector<AcceptCase> cases = {
        // IV racemic ketamine.
        {"iv default 70 kg: 0.5 mg/kg over 40 min",
         Iv(70),
         Us(),
         {.total_mg = 35.0,
          .rate_mg_per_h = 52.5,
          .weight_used_kg = 70.0,
          .mg_per_kg = 0.5,
          .minutes = 40.0,
          .note = "mg_per_kg not given: 0.5 mg/kg, the studied standard (APA consensus, Sanacora 2017)"}},
        {"iv weight 30 kg (lower edge)",
         Iv(30),
         Us(),
         {.total_mg = 15.0, .rate_mg_per_h = 22.5, .weight_used_kg = 30.0, .mg_per_kg = 0.5, .minutes = 40.0}},
        {"iv weight 250 kg (upper edge)",
         Iv(250),
         Us(),
         {.total_mg = 125.0, .rate_mg_per_h = 187.5, .weight_used_kg = 250.0, .mg_per_kg = 0.5, .minutes = 40.0}},
        {"iv rate rounds half away: 45 kg -> 33.75 mg/h shown 33.8",
         Iv(45),
         Us(),
         {.total_mg = 22.5, .rate_mg_per_h = 33.8, .weight_used_kg = 45.0, .mg_per_kg = 0.5, .minutes = 40.0}},
        {"iv 1.0 mg/kg at the default ceiling",
         Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 1.0; }),
         Us(),
         {.total_mg = 70.0,
          .rate_mg_per_h = 105.0,
          .weight_used_kg = 70.0,
          .mg_per_kg = 1.0,
          .minutes = 40.0,
          .note = "above 0.5 mg/kg: titration for partial responders is clinic practice, supported only indirectly "
                  "(Fava 2020) [PRACTICE]"}},
        {"iv 0.1 mg/kg floor",
         Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 0.1; }),
         Us(),
         {.total_mg = 7.0, .rate_mg_per_h = 10.5, .weight_used_kg = 70.0, .mg_per_kg = 0.1, .minutes = 40.0}},
        {"iv 0.8 mg/kg at a lowered 0.8 ceiling",
         Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 0.8; }),
         With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 0.8; }),
         {.total_mg = 56.0, .rate_mg_per_h = 84.0, .weight_used_kg = 70.0, .mg_per_kg = 0.8, .minutes = 40.0}},
        {"iv 2 minutes (shortest studied)",
         Change(Iv(70), [](DoseRequest& r) { r.minutes = 2.0; }),
         Us(),
         {.total_mg = 35.0, .rate_mg_per_h = 1050.0, .weight_used_kg = 70.0, .mg_per_kg = 0.5, .minutes = 2.0}},
        {"iv 100 minutes (longest studied)",
         Change(Iv(70), [](DoseRequest& r) { r.minutes = 100.0; }),
         Us(),
         {.total_mg = 35.0, .rate_mg_per_h = 21.0, .weight_used_kg = 70.0, .mg_per_kg = 0.5, .minutes = 100.0}},
        {"iv 10 mg/mL vial",
         Change(Iv(70), [](DoseRequest& r) { r.concentration_mg_per_ml = 10.0; }),
         Us(),
         {.total_mg = 35.0,
          .rate_mg_per_h = 52.5,
          .volume_ml = 3.5,
          .rate_ml_per_h = 5.25,
          .weight_used_kg = 70.0,
          .mg_per_kg = 0.5,
          .minutes = 40.0}},
        {"iv 50 mg/mL vial",
         Change(Iv(70), [](DoseRequest& r) { r.concentration_mg_per_ml = 50.0; }),
         Us(),
         {.total_mg = 35.0,
          .rate_mg_per_h = 52.5,
          .volume_ml = 0.7,
          .rate_ml_per_h = 1.05,
          .weight_used_kg = 70.0,
          .mg_per_kg = 0.5,
          .minutes = 40.0}},
        {"iv 100 mg/mL vial (upper edge), 80 kg",
         Change(Iv(80), [](DoseRequest& r) { r.concentration_mg_per_ml = 100.0; }),
         Us(),
         {.total_mg = 40.0,
          .rate_mg_per_h = 60.0,
          .volume_ml = 0.4,
          .rate_ml_per_h = 0.6,
          .weight_used_kg = 80.0,
          .mg_per_kg = 0.5,
          .minutes = 40.0}},
        {"iv volume rounds to 0.01 mL: 73 kg at 10 mg/mL over 45 min",
         Change(Iv(73),
                [](DoseRequest& r) {
                    r.concentration_mg_per_ml = 10.0;
                    r.minutes = 45.0;
                }),
         Us(),
         {.total_mg = 36.5,
          .rate_mg_per_h = 48.7,
          .volume_ml = 3.65,
          .rate_ml_per_h = 4.87,
          .weight_used_kg = 73.0,
          .mg_per_kg = 0.5,
          .minutes = 45.0}},
        {"iv ideal weight, male 170 cm, 100 kg",
         Basis(Iv(100), WeightBasis::kIdeal, 170.0, "male"),
         Us(),
         {.total_mg = 33.0,
          .rate_mg_per_h = 49.5,
          .weight_basis = WeightBasis::kIdeal,
          .weight_used_kg = 65.9,
          .ideal_body_weight_kg = 65.9,
          .mg_per_kg = 0.5,
          .minutes = 40.0,
          .note = "dose computed on ideal body weight 65.9 kg (Devine 1974); actual weight 100 kg"}},
        {"iv ideal weight, female 160 cm, 90 kg",
         Basis(Iv(90), WeightBasis::kIdeal, 160.0, "female"),
         Us(),
         {.total_mg = 26.2,
          .rate_mg_per_h = 39.3,
          .weight_basis = WeightBasis::kIdeal,
          .weight_used_kg = 52.4,
          .ideal_body_weight_kg = 52.4,
          .mg_per_kg = 0.5,
          .minutes = 40.0}},
        {"iv adjusted weight, male 170 cm, 100 kg",
         Basis(Iv(100), WeightBasis::kAdjusted, 170.0, "male"),
         Us(),
         {.total_mg = 39.8,
          .rate_mg_per_h = 59.7,
          .weight_basis = WeightBasis::kAdjusted,
          .weight_used_kg = 79.6,
          .ideal_body_weight_kg = 65.9,
          .mg_per_kg = 0.5,
          .minutes = 40.0,
          .note = "dose computed on adjusted body weight 79.6 kg = ideal 65.9 kg (Devine 1974) + 0.4 x (actual 100 "
                  "kg - ideal) [PRACTICE]"}},
        {"iv ideal weight above actual uses actual: male 190 cm, 70 kg",
         Basis(Iv(70), WeightBasis::kIdeal, 190.0, "male"),
         Us(),
         {.total_mg = 35.0,
          .rate_mg_per_h = 52.5,
          .weight_basis = WeightBasis::kIdeal,
          .weight_used_kg = 70.0,
          .ideal_body_weight_kg = 84.0,
          .mg_per_kg = 0.5,
          .minutes = 40.0,
          .note = "actual weight 70 kg is not above ideal body weight 84 kg (Devine 1974): dose computed on actual "
                  "weight"}},
        {"iv adjusted weight above actual uses actual",
         Basis(Iv(70), WeightBasis::kAdjusted, 190.0, "male"),
         Us(),
         {.total_mg = 35.0,
          .rate_mg_per_h = 52.5,
          .weight_basis = WeightBasis::kAdjusted,
          .weight_used_kg = 70.0,
          .ideal_body_weight_kg = 84.0,
          .mg_per_kg = 0.5,
          .minutes = 40.0}},
        {"iv ideal weight at 152.4 cm female is 45.5 kg",
         Basis(Iv(60), WeightBasis::kIdeal, 152.4, "female"),
         Us(),
         {.total_mg = 22.8,
          .rate_mg_per_h = 34.1,
          .weight_basis = WeightBasis::kIdeal,
          .weight_used_kg = 45.5,
          .ideal_body_weight_kg = 45.5,
          .mg_per_kg = 0.5,
          .minutes = 40.0}},

        // IM racemic ketamine.
        {"im default 0.5 mg/kg",
         Im(70),
         Us(),
         {.total_mg = 35.0,
          .weight_used_kg = 70.0,
          .mg_per_kg = 0.5,
          .note = "mg_per_kg not given: 0.5 mg/kg (Chilukuri 2014, Loo 2016)"}},
        {"im 0.25 mg/kg",
         Change(Im(70), [](DoseRequest& r) { r.mg_per_kg = 0.25; }),
         Us(),
         {.total_mg = 17.5, .weight_used_kg = 70.0, .mg_per_kg = 0.25}},
        {"im 1.0 mg/kg at the highest ceiling a clinic may set",
         Change(Im(70), [](DoseRequest& r) { r.mg_per_kg = 1.0; }),
         With([](ClinicSettings& s) { s.dose.im_max_mg_per_kg = 1.0; }),
         {.total_mg = 70.0, .weight_used_kg = 70.0, .mg_per_kg = 1.0}},
        {"im 0.1 mg/kg floor",
         Change(Im(70), [](DoseRequest& r) { r.mg_per_kg = 0.1; }),
         Us(),
         {.total_mg = 7.0, .weight_used_kg = 70.0, .mg_per_kg = 0.1}},
        {"im 50 mg/mL volume",
         Change(Im(70), [](DoseRequest& r) { r.concentration_mg_per_ml = 50.0; }),
         Us(),
         {.total_mg = 35.0, .volume_ml = 0.7, .weight_used_kg = 70.0, .mg_per_kg = 0.5}},
        {"im adjusted weight",
         Basis(Im(100), WeightBasis::kAdjusted, 170.0, "male"),
         Us(),
         {.total_mg = 39.8,
          .weight_basis = WeightBasis::kAdjusted,
          .weight_used_kg = 79.6,
          .ideal_body_weight_kg = 65.9,
          .mg_per_kg = 0.5}},

        // Esketamine nasal spray, US.
        {"esketamine default 56 mg",
         Esk(std::nullopt),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0,
          .note = "dose_mg not given: 56 mg"}},
        {"esketamine 56 mg",
         Esk(56),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0,
          .note = "2 devices of 28 mg; the patient rests 5 min after each device before the next, so first to last "
                  "device spans at least 5 min (Spravato USPI)"}},
        {"esketamine 84 mg",
         Esk(84),
         Us(),
         {.total_mg = 84.0,
          .devices = 3,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 10,
          .weight_used_kg = 70.0}},
        {"esketamine first TRD dose 56 mg",
         Esk(56, true),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0,
          .note = "56 mg required for the first TRD dose (Spravato USPI)"}},
        {"esketamine age 18 accepted",
         Change(Esk(56), [](DoseRequest& r) { r.age_years = 18.0; }),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0}},
        {"esketamine US ignores age >=65 for the start dose",
         Change(Esk(56, true), [](DoseRequest& r) { r.age_years = 70.0; }),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0}},
        {"esketamine US ignores Japanese ancestry for the start dose",
         Change(Esk(56, true), [](DoseRequest& r) { r.japanese_ancestry = true; }),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0,
          .note = "56 mg required for the first TRD dose (Spravato USPI)"}},
        {"esketamine SI default 84 mg",
         Change(Esk(std::nullopt), [](DoseRequest& r) { r.indication = EsketamineIndication::kSuicidalIdeation; }),
         Us(),
         {.total_mg = 84.0,
          .devices = 3,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 10,
          .weight_used_kg = 70.0,
          .note = "dose_mg not given: 84 mg, the suicidal-ideation dose (Spravato USPI)"}},
        {"esketamine SI first dose 84 mg",
         Change(Esk(84, true), [](DoseRequest& r) { r.indication = EsketamineIndication::kSuicidalIdeation; }),
         Us(),
         {.total_mg = 84.0,
          .devices = 3,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 10,
          .weight_used_kg = 70.0,
          .note = "suicidal ideation: 84 mg twice weekly for 4 weeks, may lower to 56 mg for tolerability (Spravato "
                  "USPI)"}},
        {"esketamine SI first dose may be 56 mg: the 56-mg first-dose rule is for TRD only",
         Change(Esk(56, true), [](DoseRequest& r) { r.indication = EsketamineIndication::kSuicidalIdeation; }),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0}},
        {"esketamine SI lowered to 56 mg",
         Change(Esk(56), [](DoseRequest& r) { r.indication = EsketamineIndication::kSuicidalIdeation; }),
         Us(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0}},

        // Esketamine nasal spray, EU.
        {"esketamine EU 65 years first dose 28 mg",
         EskEu(28, true, 65.0),
         Eu(),
         {.total_mg = 28.0,
          .devices = 1,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 0,
          .weight_used_kg = 70.0,
          .note = "28 mg required for the first TRD dose (EU SmPC: 65 or older or Japanese "
                  "ancestry)"}},
        {"esketamine EU Japanese ancestry first dose 28 mg",
         EskEu(28, true, 40.0, true),
         Eu(),
         {.total_mg = 28.0,
          .devices = 1,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 0,
          .weight_used_kg = 70.0}},
        {"esketamine EU 70 years later 28 mg",
         EskEu(28, false, 70.0),
         Eu(),
         {.total_mg = 28.0,
          .devices = 1,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 0,
          .weight_used_kg = 70.0,
          .note = "EU SmPC: after the 28 mg start, change the dose in 28-mg steps (28, 56 or 84 mg)"}},
        {"esketamine EU 70 years later 84 mg",
         EskEu(84, false, 70.0),
         Eu(),
         {.total_mg = 84.0,
          .devices = 3,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 10,
          .weight_used_kg = 70.0}},
        {"esketamine EU 64 years first dose 56 mg",
         EskEu(56, true, 64.0),
         Eu(),
         {.total_mg = 56.0,
          .devices = 2,
          .rest_minutes_between_devices = 5,
          .min_administration_minutes = 5,
          .weight_used_kg = 70.0,
          .note = "56 mg required for the first TRD dose (Spravato USPI)"}},

        // Oral and sublingual racemic ketamine.
        {"oral 200 mg fixed, 70 kg",
         Change(Oral(70), [](DoseRequest& r) { r.dose_mg = 200.0; }),
         Us(),
         {.total_mg = 200.0, .weight_used_kg = 70.0, .mg_per_kg = 2.86}},
        {"oral 300 mg at the ceiling",
         Change(Oral(70), [](DoseRequest& r) { r.dose_mg = 300.0; }),
         Us(),
         {.total_mg = 300.0, .weight_used_kg = 70.0, .mg_per_kg = 4.29}},
        {"oral 2 mg/kg converted",
         Change(Oral(70), [](DoseRequest& r) { r.mg_per_kg = 2.0; }),
         Us(),
         {.total_mg = 140.0,
          .weight_used_kg = 70.0,
          .mg_per_kg = 2.0,
          .note = "oral bioavailability is about 17-20%; 2.0-2.5 mg/kg oral gives exposure comparable to 0.5 mg/kg "
                  "IV (Andrade 2019)"}},
        {"oral 7 mg/kg at the studied top, 40 kg",
         Change(Oral(40), [](DoseRequest& r) { r.mg_per_kg = 7.0; }),
         Us(),
         {.total_mg = 280.0, .weight_used_kg = 40.0, .mg_per_kg = 7.0}},
        {"oral 245 mg at 35 kg is exactly 7 mg/kg",
         Change(Oral(35), [](DoseRequest& r) { r.dose_mg = 245.0; }),
         Us(),
         {.total_mg = 245.0, .weight_used_kg = 35.0, .mg_per_kg = 7.0}},
        {"oral mg/kg on ideal weight",
         Basis(Change(Oral(100), [](DoseRequest& r) { r.mg_per_kg = 2.0; }), WeightBasis::kIdeal, 170.0, "male"),
         Us(),
         {.total_mg = 131.9,
          .weight_basis = WeightBasis::kIdeal,
          .weight_used_kg = 65.9,
          .ideal_body_weight_kg = 65.9,
          .mg_per_kg = 2.0}},
        {"sublingual 10 mg",
         Change(Sl(70), [](DoseRequest& r) { r.dose_mg = 10.0; }),
         Us(),
         {.total_mg = 10.0,
          .weight_used_kg = 70.0,
          .mg_per_kg = 0.14,
          .note = "sublingual bioavailability is about 29% (Rolan 2014); doses in use vary widely [PRACTICE]"}},
        {"sublingual 300 mg at the ceiling",
         Change(Sl(70), [](DoseRequest& r) { r.dose_mg = 300.0; }),
         Us(),
         {.total_mg = 300.0, .weight_used_kg = 70.0, .mg_per_kg = 4.29}},
        {"sublingual has no 7 mg/kg ceiling: 280 mg at 35 kg",
         Change(Sl(35), [](DoseRequest& r) { r.dose_mg = 280.0; }),
         Us(),
         {.total_mg = 280.0, .weight_used_kg = 35.0, .mg_per_kg = 8.0}},
        {"sublingual 8 mg/kg converted, 35 kg",
         Change(Sl(35), [](DoseRequest& r) { r.mg_per_kg = 8.0; }),
         Us(),
         {.total_mg = 280.0, .weight_used_kg = 35.0, .mg_per_kg = 8.0}},
    };
    for (const AcceptCase& c : cases) {
        Result<DoseOrder> result = ComputeDose(c.request, c.settings);
        ASSERT_TRUE(result.ok()) << c.name << ": " << result.error().ToString();
        const DoseOrder& order = *result;
        EXPECT_EQ(order.route, c.request.route) << c.name;
        EXPECT_EQ(order.total_mg, c.want.total_mg) << c.name;
        EXPECT_EQ(order.rate_mg_per_h, c.want.rate_mg_per_h) << c.name;
        EXPECT_EQ(order.volume_ml, c.want.volume_ml) << c.name;
        EXPECT_EQ(order.rate_ml_per_h, c.want.rate_ml_per_h) << c.name;
        EXPECT_EQ(order.devices, c.want.devices) << c.name;
        EXPECT_EQ(order.rest_minutes_between_devices, c.want.rest_minutes_between_devices) << c.name;
        EXPECT_EQ(order.min_administration_minutes, c.want.min_administration_minutes) << c.name;
        EXPECT_EQ(order.weight_basis, c.want.weight_basis) << c.name;
        EXPECT_EQ(order.weight_used_kg, c.want.weight_used_kg) << c.name;
        EXPECT_EQ(order.ideal_body_weight_kg, c.want.ideal_body_weight_kg) << c.name;
        EXPECT_EQ(order.mg_per_kg, c.want.mg_per_kg) << c.name;
        EXPECT_EQ(order.minutes, c.want.minutes) << c.name;
        if (!c.want.note.empty()) {
            bool found = false;
            for (const std::string& note : order.notes) {
                found = found || note == c.want.note;
            }
            EXPECT_TRUE(found) << c.name << ": no note \"" << c.want.note << "\"";
        }
    }
}

struct RefuseCase {
    std::string name = {};
    DoseRequest request;
    ClinicSettings settings;
    std::string field = {};
    ErrorCode code;
    std::string message = {};  // exact message; empty: not checked
};

TEST(ComputeDoseTest, Refusals) {
    constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<RefuseCase> cases = {
        // Weight, for every route.
        {"weight 29.9 kg", Iv(29.9), Us(), "weight_kg", ErrorCode::kOutOfRange,
         "must be between 30 and 250 kg (got 29.9 kg)"},
        {"weight 250.1 kg", Iv(250.1), Us(), "weight_kg", ErrorCode::kOutOfRange,
         "must be between 30 and 250 kg (got 250.1 kg)"},
        {"weight missing (0)", Oral(0), Us(), "weight_kg", ErrorCode::kOutOfRange, ""},
        {"weight NaN", Iv(kNan), Us(), "weight_kg", ErrorCode::kOutOfRange, ""},
        {"weight 29.9 kg esketamine", Change(Esk(56), [](DoseRequest& r) { r.weight_kg = 29.9; }), Us(), "weight_kg",
         ErrorCode::kOutOfRange, ""},
        {"weight 250.1 kg sublingual", Change(Sl(250.1), [](DoseRequest& r) { r.dose_mg = 10.0; }), Us(), "weight_kg",
         ErrorCode::kOutOfRange, ""},
        {"weight 29.9 kg im", Im(29.9), Us(), "weight_kg", ErrorCode::kOutOfRange, ""},
        {"age 121", Change(Iv(70), [](DoseRequest& r) { r.age_years = 121.0; }), Us(), "age_years",
         ErrorCode::kOutOfRange, ""},
        {"age -1", Change(Iv(70), [](DoseRequest& r) { r.age_years = -1.0; }), Us(), "age_years",
         ErrorCode::kOutOfRange, ""},

        // Weight basis.
        {"ideal without height", Basis(Iv(90), WeightBasis::kIdeal, std::nullopt, "male"), Us(), "height_cm",
         ErrorCode::kInvalidArgument, ""},
        {"ideal height 152.3 cm", Basis(Iv(90), WeightBasis::kIdeal, 152.3, "male"), Us(), "height_cm",
         ErrorCode::kOutOfRange,
         "must be between 152.4 and 250 cm (got 152.3 cm); the Devine formula is defined from 5 ft (152.4 cm) "
         "upward"},
        {"adjusted height 250.1 cm", Basis(Iv(90), WeightBasis::kAdjusted, 250.1, "female"), Us(), "height_cm",
         ErrorCode::kOutOfRange, ""},
        {"ideal without sex", Basis(Iv(90), WeightBasis::kIdeal, 170.0, ""), Us(), "sex", ErrorCode::kInvalidArgument,
         ""},
        {"adjusted sex other", Basis(Iv(90), WeightBasis::kAdjusted, 170.0, "other"), Us(), "sex",
         ErrorCode::kInvalidArgument, "must be male or female for the Devine ideal body weight; got \"other\""},
        {"ideal sex wrong case", Basis(Iv(90), WeightBasis::kIdeal, 170.0, "Male"), Us(), "sex",
         ErrorCode::kInvalidArgument, ""},

        // IV.
        {"iv 1.01 mg/kg above the default ceiling", Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 1.01; }), Us(),
         "mg_per_kg", ErrorCode::kOutOfRange,
         "must be between 0.1 and 1 mg/kg (got 1.01 mg/kg); the ceiling is dose.iv_max_mg_per_kg"},
        {"iv 0.81 mg/kg above a lowered 0.8 ceiling", Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 0.81; }),
         With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 0.8; }), "mg_per_kg", ErrorCode::kOutOfRange,
         "must be between 0.1 and 0.8 mg/kg (got 0.81 mg/kg); the ceiling is dose.iv_max_mg_per_kg"},
        {"iv 1.0 mg/kg above a lowered 0.8 ceiling", Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 1.0; }),
         With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 0.8; }), "mg_per_kg", ErrorCode::kOutOfRange, ""},
        {"iv default 0.5 above a lowered 0.4 ceiling", Iv(70),
         With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 0.4; }), "mg_per_kg", ErrorCode::kOutOfRange,
         "must be between 0.1 and 0.4 mg/kg (got 0.5 mg/kg); the ceiling is dose.iv_max_mg_per_kg, which is below "
         "the default dose: give mg_per_kg explicitly"},
        {"iv ceiling below the floor", Iv(70), With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 0.05; }),
         "dose.iv_max_mg_per_kg", ErrorCode::kInvalidArgument,
         "clinic ceiling must be between 0.1 and 1 mg/kg (a clinic may lower the ceiling, never raise it); got 0.05 "
         "mg/kg"},
        // The 1.0 mg/kg ceiling may be lowered, never raised: a raised setting is refused even for a dose below 1.0.
        {"iv ceiling raised to 1.5", Iv(70), With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 1.5; }),
         "dose.iv_max_mg_per_kg", ErrorCode::kInvalidArgument,
         "clinic ceiling must be between 0.1 and 1 mg/kg (a clinic may lower the ceiling, never raise it); got 1.5 "
         "mg/kg"},
        {"iv 1.2 mg/kg with the ceiling raised to 1.5", Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 1.2; }),
         With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = 1.5; }), "dose.iv_max_mg_per_kg",
         ErrorCode::kInvalidArgument, ""},
        {"iv ceiling NaN", Iv(70),
         With([](ClinicSettings& s) { s.dose.iv_max_mg_per_kg = std::numeric_limits<double>::quiet_NaN(); }),
         "dose.iv_max_mg_per_kg", ErrorCode::kInvalidArgument, ""},
        {"iv 0.09 mg/kg below the floor", Change(Iv(70), [](DoseRequest& r) { r.mg_per_kg = 0.09; }), Us(), "mg_per_kg",
         ErrorCode::kOutOfRange, ""},
        {"iv NaN mg/kg", Change(Iv(70), [=](DoseRequest& r) { r.mg_per_kg = kNan; }), Us(), "mg_per_kg",
         ErrorCode::kOutOfRange, ""},
        {"iv 101 minutes", Change(Iv(70), [](DoseRequest& r) { r.minutes = 101.0; }), Us(), "minutes",
         ErrorCode::kOutOfRange, "must be between 2 and 100 min (got 101 min)"},
        {"iv 1.9 minutes", Change(Iv(70), [](DoseRequest& r) { r.minutes = 1.9; }), Us(), "minutes",
         ErrorCode::kOutOfRange, ""},
        {"iv concentration 0", Change(Iv(70), [](DoseRequest& r) { r.concentration_mg_per_ml = 0.0; }), Us(),
         "concentration_mg_per_ml", ErrorCode::kOutOfRange,
         "must be above 0 and at most 100 mg/mL (ketamine vials are 10, 50 or 100 mg/mL); got 0 mg/mL"},
        {"iv concentration 100.1", Change(Iv(70), [](DoseRequest& r) { r.concentration_mg_per_ml = 100.1; }), Us(),
         "concentration_mg_per_ml", ErrorCode::kOutOfRange, ""},
        {"iv concentration negative", Change(Iv(70), [](DoseRequest& r) { r.concentration_mg_per_ml = -10.0; }), Us(),
         "concentration_mg_per_ml", ErrorCode::kOutOfRange, ""},
        {"iv dose_mg", Change(Iv(70), [](DoseRequest& r) { r.dose_mg = 35.0; }), Us(), "dose_mg",
         ErrorCode::kInvalidArgument, ""},
        {"iv first_dose", Change(Iv(70), [](DoseRequest& r) { r.first_dose = true; }), Us(), "first_dose",
         ErrorCode::kInvalidArgument, "does not apply to route iv: the first-dose rule is an esketamine label rule"},
        {"iv indication", Change(Iv(70), [](DoseRequest& r) { r.indication = EsketamineIndication::kTrd; }), Us(),
         "indication", ErrorCode::kInvalidArgument, ""},

        // IM.
        {"im 0.51 mg/kg above the ceiling", Change(Im(70), [](DoseRequest& r) { r.mg_per_kg = 0.51; }), Us(),
         "mg_per_kg", ErrorCode::kOutOfRange,
         "must be between 0.1 and 0.5 mg/kg (got 0.51 mg/kg); the ceiling is dose.im_max_mg_per_kg"},
        {"im 0.09 mg/kg below the floor", Change(Im(70), [](DoseRequest& r) { r.mg_per_kg = 0.09; }), Us(), "mg_per_kg",
         ErrorCode::kOutOfRange, ""},
        {"im default above a lowered 0.3 ceiling", Im(70),
         With([](ClinicSettings& s) { s.dose.im_max_mg_per_kg = 0.3; }), "mg_per_kg", ErrorCode::kOutOfRange, ""},
        {"im ceiling below the floor", Im(70), With([](ClinicSettings& s) { s.dose.im_max_mg_per_kg = 0.0; }),
         "dose.im_max_mg_per_kg", ErrorCode::kInvalidArgument, ""},
        {"im ceiling raised to 1.01", Im(70), With([](ClinicSettings& s) { s.dose.im_max_mg_per_kg = 1.01; }),
         "dose.im_max_mg_per_kg", ErrorCode::kInvalidArgument, ""},
        {"im minutes", Change(Im(70), [](DoseRequest& r) { r.minutes = 5.0; }), Us(), "minutes",
         ErrorCode::kInvalidArgument, ""},
        {"im dose_mg", Change(Im(70), [](DoseRequest& r) { r.dose_mg = 35.0; }), Us(), "dose_mg",
         ErrorCode::kInvalidArgument, ""},
        {"im concentration 101", Change(Im(70), [](DoseRequest& r) { r.concentration_mg_per_ml = 101.0; }), Us(),
         "concentration_mg_per_ml", ErrorCode::kOutOfRange, ""},
        {"im first_dose", Change(Im(70), [](DoseRequest& r) { r.first_dose = true; }), Us(), "first_dose",
         ErrorCode::kInvalidArgument, ""},

        // Esketamine, US.
        {"esketamine 70 mg is not whole devices", Esk(70), Us(), "dose_mg", ErrorCode::kInvalidArgument,
         "device count must be whole: 70 mg is 2.5 devices of 28 mg"},
        {"esketamine 28 mg refused in the US", Esk(28), Us(), "dose_mg", ErrorCode::kInvalidArgument,
         "must be 56 or 84 mg for adults (Spravato USPI) (at most 84 mg, 3 devices, a session); got 28 mg"},
        {"esketamine 112 mg above the maximum", Esk(112), Us(), "dose_mg", ErrorCode::kInvalidArgument,
         "must be 56 or 84 mg for adults (Spravato USPI) (at most 84 mg, 3 devices, a session); got 112 mg"},
        {"esketamine 0 mg", Esk(0), Us(), "dose_mg", ErrorCode::kInvalidArgument,
         "must be 56 or 84 mg for adults (Spravato USPI); got 0 mg"},
        {"esketamine -28 mg", Esk(-28), Us(), "dose_mg", ErrorCode::kInvalidArgument, ""},
        {"esketamine NaN mg", Esk(kNan), Us(), "dose_mg", ErrorCode::kInvalidArgument, ""},
        {"esketamine first TRD dose 84 mg refused in the US", Esk(84, true), Us(), "dose_mg",
         ErrorCode::kInvalidArgument, "the first TRD dose must be 56 mg (Spravato USPI); got 84 mg"},
        {"esketamine mg_per_kg", Change(Esk(56), [](DoseRequest& r) { r.mg_per_kg = 0.8; }), Us(), "mg_per_kg",
         ErrorCode::kInvalidArgument,
         "does not apply to route esketamine-nasal: esketamine is dosed in whole 28-mg devices, not by weight"},
        {"esketamine minutes", Change(Esk(56), [](DoseRequest& r) { r.minutes = 40.0; }), Us(), "minutes",
         ErrorCode::kInvalidArgument, ""},
        {"esketamine concentration", Change(Esk(56), [](DoseRequest& r) { r.concentration_mg_per_ml = 140.0; }), Us(),
         "concentration_mg_per_ml", ErrorCode::kInvalidArgument, ""},
        {"esketamine ideal weight basis", Basis(Esk(56), WeightBasis::kIdeal, 170.0, "male"), Us(), "weight_basis",
         ErrorCode::kInvalidArgument, ""},
        {"esketamine age 17", Change(Esk(56), [](DoseRequest& r) { r.age_years = 17.0; }), Us(), "age_years",
         ErrorCode::kOutOfRange, ""},
        {"esketamine SI 28 mg",
         Change(Esk(28), [](DoseRequest& r) { r.indication = EsketamineIndication::kSuicidalIdeation; }), Us(),
         "dose_mg", ErrorCode::kInvalidArgument,
         "must be 56 or 84 mg for the suicidal-ideation indication (Spravato USPI) (at most 84 mg, 3 devices, a "
         "session); got 28 mg"},
        {"esketamine SI 28 mg refused in the EU at 70",
         Change(EskEu(28, false, 70.0), [](DoseRequest& r) { r.indication = EsketamineIndication::kSuicidalIdeation; }),
         Eu(), "dose_mg", ErrorCode::kInvalidArgument, ""},

        // Esketamine, EU.
        {"esketamine EU without age", Esk(56), Eu(), "age_years", ErrorCode::kInvalidArgument, ""},
        {"esketamine EU 70 years first dose 56 mg", EskEu(56, true, 70.0), Eu(), "dose_mg", ErrorCode::kInvalidArgument,
         "the first TRD dose must be 28 mg for EU patients 65 or older or of Japanese ancestry (EU SmPC); got 56 mg"},
        {"esketamine EU 64 years first dose 28 mg", EskEu(28, true, 64.0), Eu(), "dose_mg", ErrorCode::kInvalidArgument,
         ""},
        {"esketamine EU 64 years later 28 mg", EskEu(28, false, 64.0), Eu(), "dose_mg", ErrorCode::kInvalidArgument,
         ""},
        {"esketamine EU 70 years 112 mg", EskEu(112, false, 70.0), Eu(), "dose_mg", ErrorCode::kInvalidArgument,
         "must be 28, 56 or 84 mg for EU patients 65 or older or of Japanese ancestry (EU SmPC) (at most 84 mg, 3 "
         "devices, a session); got 112 mg"},
        {"esketamine EU 70 years 42 mg", EskEu(42, false, 70.0), Eu(), "dose_mg", ErrorCode::kInvalidArgument,
         "device count must be whole: 42 mg is 1.5 devices of 28 mg"},

        // Oral.
        {"oral no dose", Oral(70), Us(), "dose_mg", ErrorCode::kInvalidArgument,
         "required for route oral (or give mg_per_kg)"},
        {"oral both dose and mg/kg",
         Change(Oral(70),
                [](DoseRequest& r) {
                    r.dose_mg = 100.0;
                    r.mg_per_kg = 1.0;
                }),
         Us(), "dose_mg", ErrorCode::kInvalidArgument, "give dose_mg or mg_per_kg, not both"},
        {"oral 300.1 mg above the ceiling", Change(Oral(70), [](DoseRequest& r) { r.dose_mg = 300.1; }), Us(),
         "dose_mg", ErrorCode::kOutOfRange, "must be above 0 and at most 300 mg (dose.oral_max_mg); got 300.1 mg"},
        {"oral 0 mg", Change(Oral(70), [](DoseRequest& r) { r.dose_mg = 0.0; }), Us(), "dose_mg",
         ErrorCode::kOutOfRange, ""},
        {"oral 150 mg above a lowered 100 mg ceiling", Change(Oral(70), [](DoseRequest& r) { r.dose_mg = 150.0; }),
         With([](ClinicSettings& s) { s.dose.oral_max_mg = 100.0; }), "dose_mg", ErrorCode::kOutOfRange, ""},
        {"oral ceiling 0", Change(Oral(70), [](DoseRequest& r) { r.dose_mg = 10.0; }),
         With([](ClinicSettings& s) { s.dose.oral_max_mg = 0.0; }), "dose.oral_max_mg", ErrorCode::kInvalidArgument,
         ""},
        {"oral 7.01 mg/kg", Change(Oral(40), [](DoseRequest& r) { r.mg_per_kg = 7.01; }), Us(), "mg_per_kg",
         ErrorCode::kOutOfRange, "must be above 0 and at most 7 mg/kg (top of the studied oral range); got 7.01 mg/kg"},
        {"oral 0 mg/kg", Change(Oral(40), [](DoseRequest& r) { r.mg_per_kg = 0.0; }), Us(), "mg_per_kg",
         ErrorCode::kOutOfRange, ""},
        {"oral 5 mg/kg x 70 kg above 300 mg", Change(Oral(70), [](DoseRequest& r) { r.mg_per_kg = 5.0; }), Us(),
         "mg_per_kg", ErrorCode::kOutOfRange,
         "5 mg/kg x 70 kg actual weight = 350 mg, above the clinic ceiling of 300 mg (dose.oral_max_mg)"},
        {"oral 250 mg at 35 kg is above 7 mg/kg", Change(Oral(35), [](DoseRequest& r) { r.dose_mg = 250.0; }), Us(),
         "dose_mg", ErrorCode::kOutOfRange,
         "250 mg is 7.14 mg/kg of 35 kg actual weight, above 7 mg/kg (top of the studied oral range)"},
        {"oral minutes",
         Change(Oral(70),
                [](DoseRequest& r) {
                    r.dose_mg = 100.0;
                    r.minutes = 10.0;
                }),
         Us(), "minutes", ErrorCode::kInvalidArgument, ""},
        {"oral concentration",
         Change(Oral(70),
                [](DoseRequest& r) {
                    r.dose_mg = 100.0;
                    r.concentration_mg_per_ml = 10.0;
                }),
         Us(), "concentration_mg_per_ml", ErrorCode::kInvalidArgument, ""},
        {"oral first_dose",
         Change(Oral(70),
                [](DoseRequest& r) {
                    r.dose_mg = 100.0;
                    r.first_dose = true;
                }),
         Us(), "first_dose", ErrorCode::kInvalidArgument, ""},

        // Sublingual.
        {"sublingual no dose", Sl(70), Us(), "dose_mg", ErrorCode::kInvalidArgument, ""},
        {"sublingual 301 mg", Change(Sl(70), [](DoseRequest& r) { r.dose_mg = 301.0; }), Us(), "dose_mg",
         ErrorCode::kOutOfRange, "must be above 0 and at most 300 mg (dose.sublingual_max_mg); got 301 mg"},
        {"sublingual -5 mg", Change(Sl(70), [](DoseRequest& r) { r.dose_mg = -5.0; }), Us(), "dose_mg",
         ErrorCode::kOutOfRange, ""},
        {"sublingual 0 mg/kg", Change(Sl(70), [](DoseRequest& r) { r.mg_per_kg = 0.0; }), Us(), "mg_per_kg",
         ErrorCode::kInvalidArgument, ""},
        {"sublingual 5 mg/kg x 70 kg above 300 mg", Change(Sl(70), [](DoseRequest& r) { r.mg_per_kg = 5.0; }), Us(),
         "mg_per_kg", ErrorCode::kOutOfRange,
         "5 mg/kg x 70 kg actual weight = 350 mg, above the clinic ceiling of 300 mg (dose.sublingual_max_mg)"},
        {"sublingual 60 mg above a lowered 50 mg ceiling", Change(Sl(70), [](DoseRequest& r) { r.dose_mg = 60.0; }),
         With([](ClinicSettings& s) { s.dose.sublingual_max_mg = 50.0; }), "dose_mg", ErrorCode::kOutOfRange, ""},
        {"sublingual concentration",
         Change(Sl(70),
                [](DoseRequest& r) {
                    r.dose_mg = 100.0;
                    r.concentration_mg_per_ml = 10.0;
                }),
         Us(), "concentration_mg_per_ml", ErrorCode::kInvalidArgument, ""},
    };
    for (const RefuseCase& c : cases) {
        Result<DoseOrder> result = ComputeDose(c.request, c.settings);
        ASSERT_FALSE(result.ok()) << c.name << ": accepted, total_mg " << result->total_mg;
        EXPECT_EQ(result.error().field, c.field) << c.name << ": " << result.error().ToString();
        EXPECT_EQ(result.error().code, c.code) << c.name << ": " << result.error().ToString();
        if (!c.message.empty()) {
            EXPECT_EQ(result.error().message, c.message) << c.name;
        }
    }
}

struct DoseWeightCase {
    std::string name = {};
    double order_kg = 0.0;
    std::optional<double> recorded_kg;
    bool reason_given = false;
    std::optional<ErrorCode> refused;  // absent: accepted
    std::string field = {};
};

TEST(CheckDoseWeightTest, TheOrderIsOnTheLatestRecordedWeightOrHasAReason) {
    const std::vector<DoseWeightCase> cases = {
        {"same weight", 70.0, 70.0, false, std::nullopt, ""},
        {"same to the scale's 0.1 kg", 70.04, 70.0, false, std::nullopt, ""},
        {"at the tolerance", 70.05, 70.0, false, std::nullopt, ""},
        {"0.1 kg apart", 70.1, 70.0, false, ErrorCode::kFailedPrecondition, "weight_kg"},
        {"pounds typed as kilograms", 154.0, 70.0, false, ErrorCode::kFailedPrecondition, "weight_kg"},
        {"lighter than recorded", 65.0, 70.0, false, ErrorCode::kFailedPrecondition, "weight_kg"},
        {"different, with a reason", 65.0, 70.0, true, std::nullopt, ""},
        {"no recorded weight", 70.0, std::nullopt, false, ErrorCode::kFailedPrecondition, "weight_kg"},
        {"no recorded weight, with a reason", 70.0, std::nullopt, true, std::nullopt, ""},
        {"a reason for agreeing weights", 70.0, 70.0, true, ErrorCode::kInvalidArgument, "weight_reason"},
    };
    for (const DoseWeightCase& c : cases) {
        const Status checked = CheckDoseWeight(c.order_kg, c.recorded_kg, c.reason_given);
        if (!c.refused) {
            EXPECT_TRUE(checked.ok()) << c.name << ": " << checked.error().message;
            continue;
        }
        ASSERT_FALSE(checked.ok()) << c.name;
        EXPECT_EQ(checked.error().code, *c.refused) << c.name;
        EXPECT_EQ(checked.error().field, c.field) << c.name;
    }
}

TEST(IdealBodyWeightTest, DevineValues) {
    struct Case {
        double height_cm;
        std::string sex = {};
        double want_kg;
    };
    const std::vector<Case> cases = {
        {152.4, "male", 50.0},
        {152.4, "female", 45.5},
        {170.0, "male", 65.937007874015748},  // 50 + 2.3 x (170 / 2.54 - 60)
        {160.0, "female", 52.381889763779526},
        {190.0, "male", 84.047244094488192},
        {182.88, "male", 77.6},  // 6 ft = 72 in: 50 + 2.3 x 12
        {250.0, "female", 133.87795275590551},
    };
    for (const Case& c : cases) {
        Result<double> ibw = IdealBodyWeightKg(c.height_cm, c.sex);
        ASSERT_TRUE(ibw.ok()) << c.height_cm << " cm " << c.sex << ": " << ibw.error().ToString();
        EXPECT_NEAR(*ibw, c.want_kg, 1e-9) << c.height_cm << " cm " << c.sex;
    }
}

TEST(DoseNamesTest, RoundTripAndRefuseUnknown) {
    const std::vector<std::pair<Route, std::string>> routes = {{Route::kIv, "iv"},
                                                               {Route::kEsketamineNasal, "esketamine-nasal"},
                                                               {Route::kIm, "im"},
                                                               {Route::kOral, "oral"},
                                                               {Route::kSublingual, "sublingual"}};
    for (const auto& [route, name] : routes) {
        EXPECT_EQ(RouteName(route), name) << name;
        Result<Route> parsed = ParseRoute(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, route) << name;
    }
    const std::vector<std::pair<WeightBasis, std::string>> bases = {
        {WeightBasis::kActual, "actual"}, {WeightBasis::kIdeal, "ideal"}, {WeightBasis::kAdjusted, "adjusted"}};
    for (const auto& [basis, name] : bases) {
        EXPECT_EQ(WeightBasisName(basis), name) << name;
        Result<WeightBasis> parsed = ParseWeightBasis(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, basis) << name;
    }
    const std::vector<std::pair<EsketamineIndication, std::string>> indications = {
        {EsketamineIndication::kTrd, "trd"}, {EsketamineIndication::kSuicidalIdeation, "si"}};
    for (const auto& [indication, name] : indications) {
        EXPECT_EQ(EsketamineIndicationName(indication), name) << name;
        Result<EsketamineIndication> parsed = ParseEsketamineIndication(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, indication) << name;
    }

    struct Bad {
        std::string name = {};
        std::function<std::string()> parse_field;  // the field of the error, or "accepted"
        std::string field = {};
    };
    auto field_of = [](const auto& result) { return result.ok() ? std::string("accepted") : result.error().field; };
    const std::vector<Bad> bad = {
        {"route IV", [&] { return field_of(ParseRoute("IV")); }, "route"},
        {"route empty", [&] { return field_of(ParseRoute("")); }, "route"},
        {"route esketamine_nasal", [&] { return field_of(ParseRoute("esketamine_nasal")); }, "route"},
        {"basis lean", [&] { return field_of(ParseWeightBasis("lean")); }, "weight_basis"},
        {"basis empty", [&] { return field_of(ParseWeightBasis("")); }, "weight_basis"},
        {"indication esketamine-si", [&] { return field_of(ParseEsketamineIndication("esketamine-si")); },
         "indication"},
    };
    for (const Bad& b : bad) {
        EXPECT_EQ(b.parse_field(), b.field) << b.name;
    }
    EXPECT_EQ(ParseRoute("oral ").error().message,
              "must be iv, esketamine-nasal, im, oral or sublingual; got \"oral \"");
}

TEST(DoseNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kRouteNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kWeightBasisNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kEsketamineIndicationNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
