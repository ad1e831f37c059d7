// Speed of the clinical core, each figure beside a floor measured in the same run (docs/benchmarks.md):
//   scoring a PHQ-9        vs  summing nine answers (the least work any scorer must do)
//   screening an intake    vs  copying the intake (touching every input the screening reads)
//   computing an IV dose   vs  the bare mg/kg arithmetic
// Run: make bench  (or build/release/bench/kclinic_bench)

#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <numeric>
#include <vector>

#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/scales.hpp"
#include "clinical/schedule.hpp"
#include "clinical/settings.hpp"

namespace {

using namespace kclinic::clinical;

constexpr std::array<int, 9> kPhq9Answers{2, 3, 2, 2, 1, 3, 2, 1, 1};

void BM_ScorePhq9(benchmark::State& state) {
    const ScaleSettings settings;
    for (auto _ : state) {
        auto result = Score(Instrument::kPhq9, kPhq9Answers, settings);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(BM_ScorePhq9);

void BM_FloorSumNineAnswers(benchmark::State& state) {
    std::array<int, 9> answers = kPhq9Answers;
    for (auto _ : state) {
        benchmark::DoNotOptimize(answers.data());
        int total = std::accumulate(answers.begin(), answers.end(), 0);
        benchmark::DoNotOptimize(total);
    }
}
BENCHMARK(BM_FloorSumNineAnswers);

Intake DemoIntake() {
    Intake intake;
    intake.age_years = 42;
    intake.sex = Sex::kFemale;
    intake.pregnant = false;
    intake.weight_kg = 68.0;
    intake.product = Product::kKetamineIv;
    intake.diagnoses = {"F33.2"};
    intake.conditions = {"I10", "J45.909"};
    intake.allergies = {"penicillin"};
    intake.medications = {"bupropion", "lorazepam", "amlodipine"};
    intake.antidepressant_trials = {
        {"sertraline", 10, true, 10, true},
        {"venlafaxine", 8, true, 20, true},
        {"bupropion", 3, false, 15, true},
    };
    intake.blood_pressure = BloodPressure{134, 84};
    intake.heart_rate_per_min = 78;
    return intake;
}

void BM_ScreenIntake(benchmark::State& state) {
    const Intake intake = DemoIntake();
    const ClinicSettings settings;
    for (auto _ : state) {
        auto screening = Screen(intake, settings);
        benchmark::DoNotOptimize(screening);
    }
}
BENCHMARK(BM_ScreenIntake);

void BM_FloorCopyIntake(benchmark::State& state) {
    const Intake intake = DemoIntake();
    for (auto _ : state) {
        Intake copy = intake;
        benchmark::DoNotOptimize(copy);
    }
}
BENCHMARK(BM_FloorCopyIntake);

void BM_ComputeIvDose(benchmark::State& state) {
    DoseRequest request;
    request.route = Route::kIv;
    request.weight_kg = 70.0;
    request.concentration_mg_per_ml = 1.0;
    const ClinicSettings settings;
    for (auto _ : state) {
        auto order = ComputeDose(request, settings);
        benchmark::DoNotOptimize(order);
    }
}
BENCHMARK(BM_ComputeIvDose);

void BM_FloorIvArithmetic(benchmark::State& state) {
    double weight_kg = 70.0;
    double mg_per_kg = 0.5;
    double minutes = 40.0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(weight_kg);
        double total_mg = weight_kg * mg_per_kg;
        double rate_mg_per_h = total_mg / minutes * 60.0;
        benchmark::DoNotOptimize(total_mg);
        benchmark::DoNotOptimize(rate_mg_per_h);
    }
}
BENCHMARK(BM_FloorIvArithmetic);

void BM_PlanEsketamineSchedule(benchmark::State& state) {
    const ScheduleSettings settings;
    const std::chrono::sys_days start = std::chrono::year{2026} / 12 / 1;
    for (auto _ : state) {
        auto sessions = PlanSchedule(Protocol::kEsketamineTrd, start, settings);
        benchmark::DoNotOptimize(sessions);
    }
}
BENCHMARK(BM_PlanEsketamineSchedule);

}  // namespace

BENCHMARK_MAIN();
