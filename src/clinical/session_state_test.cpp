#include "clinical/session_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using S = SessionState;
using std::chrono::minutes;

const TimePoint kNow{std::chrono::milliseconds{1'790'000'000'000LL}};

// Facts that satisfy every precondition of an IV session; each case breaks one.
SessionFacts AllMet() {
    SessionFacts facts;
    facts.consent_confirmed = true;
    facts.escort_confirmed = true;
    facts.pre_dose_bp = BloodPressure{128, 82};
    facts.pre_dose_bp_at = kNow - minutes{5};
    facts.dose_order_signed = true;
    facts.dose_order_within_limits = true;
    facts.route = Route::kIv;
    facts.administration_ended_at = kNow - minutes{30};
    facts.now = kNow;
    facts.discharge_criteria_confirmed = true;
    facts.reason = "patient unwell";
    return facts;
}

SessionFacts Esketamine(std::function<void(SessionFacts&)> change = [](SessionFacts&) {}) {
    SessionFacts facts = AllMet();
    facts.route = Route::kEsketamineNasal;
    facts.administration_ended_at.reset();
    facts.first_esketamine_device_at = kNow - minutes{121};
    change(facts);
    return facts;
}

SessionFacts Iv(std::function<void(SessionFacts&)> change) {
    SessionFacts facts = AllMet();
    change(facts);
    return facts;
}

TEST(SessionStateTest, NamesRoundTrip) {
    EXPECT_EQ(AllSessionStates().size(), 10U);
    for (SessionState state : AllSessionStates()) {
        Result<SessionState> parsed = ParseSessionState(SessionStateName(state));
        ASSERT_TRUE(parsed.ok()) << SessionStateName(state);
        EXPECT_EQ(*parsed, state);
    }
    EXPECT_EQ(SessionStateName(S::kReadyForDischarge), "ready_for_discharge");
    Result<SessionState> bad = ParseSessionState("Scheduled");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().field, "state");
    EXPECT_NE(bad.error().message.find("pre_dose_ok"), std::string::npos);
}

// Exactly the transitions of design.md §3: every (from, to) pair not listed is refused on "state".
TEST(SessionStateTest, OnlyDesignTransitionsAreAllowed) {
    const std::vector<std::pair<S, S>> allowed = {
        {S::kScheduled, S::kCheckedIn},
        {S::kCheckedIn, S::kPreDoseOk},
        {S::kCheckedIn, S::kHeld},
        {S::kHeld, S::kPreDoseOk},
        {S::kPreDoseOk, S::kDosing},
        {S::kDosing, S::kMonitoring},
        {S::kMonitoring, S::kReadyForDischarge},
        {S::kReadyForDischarge, S::kDischarged},
    };
    for (SessionState from : AllSessionStates()) {
        for (SessionState to : AllSessionStates()) {
            const bool listed = std::find(allowed.begin(), allowed.end(), std::pair{from, to}) != allowed.end();
            const bool exit = !IsFinal(from) && (to == S::kCancelled || to == S::kAborted);
            const Status status = CheckTransition(from, to, AllMet());
            SCOPED_TRACE(std::string(SessionStateName(from)) + " -> " + std::string(SessionStateName(to)));
            if (listed || exit) {
                EXPECT_TRUE(status.ok()) << status.error().ToString();
            } else {
                ASSERT_FALSE(status.ok());
                EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
                EXPECT_EQ(status.error().field, "state");
            }
        }
    }
}

TEST(SessionStateTest, FinalStatesNameThemselves) {
    const Status status = CheckTransition(S::kDischarged, S::kAborted, AllMet());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "the session is discharged; no transition leaves discharged");
    const Status skip = CheckTransition(S::kCheckedIn, S::kDosing, AllMet());
    ASSERT_FALSE(skip.ok());
    EXPECT_EQ(skip.error().message,
              "no transition from checked_in to dosing; allowed: pre_dose_ok, held, cancelled, "
              "aborted");
}

TEST(SessionStateTest, EsketamineHappyPath) {
    const std::vector<std::pair<S, S>> path = {
        {S::kScheduled, S::kCheckedIn},
        {S::kCheckedIn, S::kPreDoseOk},
        {S::kPreDoseOk, S::kDosing},
        {S::kDosing, S::kMonitoring},
        {S::kMonitoring, S::kReadyForDischarge},
        {S::kReadyForDischarge, S::kDischarged},
    };
    for (const auto& [from, to] : path) {
        const Status status = CheckTransition(from, to, Esketamine());
        EXPECT_TRUE(status.ok()) << SessionStateName(to) << ": " << status.error().ToString();
    }
}

struct Refusal {
    std::string name;
    S from;
    S to;
    SessionFacts facts;
    std::string field;
    std::string message;
};

// GoogleTest prints a case by its name, not as bytes.
void PrintTo(const Refusal& refusal, std::ostream* out) {
    *out << refusal.name;
}

class SessionRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(SessionRefusalTest, NamesThePreconditionThatFailed) {
    const Refusal& want = GetParam();
    const Status status = CheckTransition(want.from, want.to, want.facts);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(status.error().field, want.field);
    EXPECT_EQ(status.error().message, want.message);
}

const std::string kNoConsent = "informed consent for this treatment is not confirmed";
// These sessions give IV racemic ketamine: the escort rule is clinic practice, not the esketamine label.
const std::string kNoEscort =
    "no escort home is confirmed; after racemic ketamine a responsible adult takes the patient home and the patient "
    "does not drive for the rest of the day (clinical-reference §5.5 [PRACTICE])";
const std::string kAboveGate =
    "pre-dose BP 150/85 mmHg is above the gate 140/90 mmHg (Spravato USPI: >140/90 weigh the risk)";

INSTANTIATE_TEST_SUITE_P(
    Table, SessionRefusalTest,
    ::testing::Values(
        Refusal{"checkin_without_consent", S::kScheduled, S::kCheckedIn,
                Iv([](SessionFacts& f) { f.consent_confirmed = false; }), "consent_confirmed", kNoConsent},
        Refusal{"checkin_without_escort", S::kScheduled, S::kCheckedIn,
                Iv([](SessionFacts& f) { f.escort_confirmed = false; }), "escort_confirmed", kNoEscort},
        Refusal{"predose_without_consent", S::kCheckedIn, S::kPreDoseOk,
                Iv([](SessionFacts& f) { f.consent_confirmed = false; }), "consent_confirmed", kNoConsent},
        Refusal{"predose_without_escort", S::kHeld, S::kPreDoseOk,
                Iv([](SessionFacts& f) { f.escort_confirmed = false; }), "escort_confirmed", kNoEscort},
        Refusal{"predose_without_bp", S::kCheckedIn, S::kPreDoseOk, Iv([](SessionFacts& f) { f.pre_dose_bp.reset(); }),
                "pre_dose_bp", "no pre-dose blood pressure (systolic and diastolic) recorded since check-in"},
        Refusal{"predose_without_bp_time", S::kCheckedIn, S::kPreDoseOk,
                Iv([](SessionFacts& f) { f.pre_dose_bp_at.reset(); }), "pre_dose_bp",
                "no pre-dose blood pressure (systolic and diastolic) recorded since check-in"},
        Refusal{"predose_bp_in_future", S::kCheckedIn, S::kPreDoseOk,
                Iv([](SessionFacts& f) { f.pre_dose_bp_at = kNow + minutes{1}; }), "pre_dose_bp",
                "the pre-dose blood pressure is timed after now"},
        Refusal{"predose_systolic_above_gate", S::kCheckedIn, S::kPreDoseOk, Iv([](SessionFacts& f) {
                    f.pre_dose_bp = BloodPressure{150, 85};
                }),
                "pre_dose_bp", kAboveGate + " and no prescriber has overridden it"},
        Refusal{"predose_diastolic_above_gate", S::kHeld, S::kPreDoseOk, Iv([](SessionFacts& f) {
                    f.pre_dose_bp = BloodPressure{130, 91};
                }),
                "pre_dose_bp",
                "pre-dose BP 130/91 mmHg is above the gate 140/90 mmHg (Spravato USPI: >140/90 weigh the risk) and "
                "no prescriber has overridden it"},
        Refusal{"predose_clinic_gate", S::kCheckedIn, S::kPreDoseOk, Iv([](SessionFacts& f) {
                    f.bp_gate = BpGate{135, 85};
                    f.pre_dose_bp = BloodPressure{138, 80};
                }),
                "pre_dose_bp",
                "pre-dose BP 138/80 mmHg is above the gate 135/85 mmHg (Spravato USPI: >140/90 weigh the risk) and "
                "no prescriber has overridden it"},
        Refusal{"override_without_prescriber", S::kCheckedIn, S::kPreDoseOk, Iv([](SessionFacts& f) {
                    f.pre_dose_bp = BloodPressure{150, 85};
                    f.bp_override = GateOverride{" ", "baseline hypertension, treated"};
                }),
                "bp_override", kAboveGate + "; the override names no prescriber"},
        Refusal{"override_without_reason", S::kCheckedIn, S::kPreDoseOk, Iv([](SessionFacts& f) {
                    f.pre_dose_bp = BloodPressure{150, 85};
                    f.bp_override = GateOverride{"doctor@clinic.example", ""};
                }),
                "bp_override", kAboveGate + "; the override gives no reason"},
        Refusal{"hold_without_reason", S::kCheckedIn, S::kHeld, Iv([](SessionFacts& f) { f.reason = " "; }), "reason",
                "a reason is required to move a session to held"},
        Refusal{"dose_unsigned", S::kPreDoseOk, S::kDosing, Iv([](SessionFacts& f) { f.dose_order_signed = false; }),
                "dose_order", "no dose order signed by a prescriber for this session"},
        Refusal{"dose_outside_limits", S::kPreDoseOk, S::kDosing,
                Iv([](SessionFacts& f) { f.dose_order_within_limits = false; }), "dose_order",
                "the session's dose order is not inside the dose limits (ComputeDose refused it)"},
        Refusal{"dose_without_route", S::kPreDoseOk, S::kDosing, Iv([](SessionFacts& f) { f.route.reset(); }),
                "dose_order", "the session's dose order is not inside the dose limits (ComputeDose refused it)"},
        Refusal{"monitoring_without_first_device", S::kDosing, S::kMonitoring,
                Esketamine([](SessionFacts& f) { f.first_esketamine_device_at.reset(); }), "first_esketamine_device_at",
                "no esketamine device administration recorded"},
        Refusal{"monitoring_before_infusion_end", S::kDosing, S::kMonitoring,
                Iv([](SessionFacts& f) { f.administration_ended_at.reset(); }), "administration_ended_at",
                "the end of the iv administration is not recorded"},
        Refusal{"ready_after_95_min", S::kMonitoring, S::kReadyForDischarge,
                Esketamine([](SessionFacts& f) { f.first_esketamine_device_at = kNow - minutes{95}; }),
                "first_esketamine_device_at",
                "monitoring for 95 min since the first esketamine device; 120 min required (Spravato REMS)"},
        // The demo's hole: a device typed as given 130 min ago, in a session that entered dosing a second ago.
        Refusal{"ready_after_backdated_device", S::kMonitoring, S::kReadyForDischarge, Esketamine([](SessionFacts& f) {
                    f.first_esketamine_device_at = kNow - minutes{130};
                    f.dosing_started_at = kNow - std::chrono::seconds{1};
                }),
                "first_esketamine_device_at",
                "monitoring for 0 min since the step to dosing (the first device is timed before it); 120 min required "
                "(Spravato REMS)"},
        Refusal{"ready_one_second_short", S::kMonitoring, S::kReadyForDischarge, Esketamine([](SessionFacts& f) {
                    f.first_esketamine_device_at = kNow - minutes{120} + std::chrono::seconds{1};
                }),
                "first_esketamine_device_at",
                "monitoring for 119 min since the first esketamine device; 120 min required (Spravato REMS)"},
        Refusal{"ready_without_device", S::kMonitoring, S::kReadyForDischarge,
                Esketamine([](SessionFacts& f) { f.first_esketamine_device_at.reset(); }), "first_esketamine_device_at",
                "no esketamine device administration recorded"},
        Refusal{"ready_iv_not_ended", S::kMonitoring, S::kReadyForDischarge,
                Iv([](SessionFacts& f) { f.administration_ended_at.reset(); }), "administration_ended_at",
                "the end of the iv administration is not recorded"},
        Refusal{"ready_iv_ends_in_future", S::kMonitoring, S::kReadyForDischarge,
                Iv([](SessionFacts& f) { f.administration_ended_at = kNow + minutes{10}; }), "administration_ended_at",
                "the administration is recorded as ending after now"},
        Refusal{"discharge_without_criteria", S::kReadyForDischarge, S::kDischarged,
                Iv([](SessionFacts& f) { f.discharge_criteria_confirmed = false; }), "discharge_criteria_confirmed",
                "discharge criteria are not confirmed (clinically stable, back to baseline, escort present)"},
        Refusal{"cancel_without_reason", S::kScheduled, S::kCancelled, Iv([](SessionFacts& f) { f.reason = ""; }),
                "reason", "a reason is required to move a session to cancelled"},
        Refusal{"abort_without_reason", S::kMonitoring, S::kAborted, Iv([](SessionFacts& f) { f.reason = ""; }),
                "reason", "a reason is required to move a session to aborted"},
        Refusal{"nothing_after_cancelled", S::kCancelled, S::kScheduled, AllMet(), "state",
                "the session is cancelled; no transition leaves cancelled"},
        Refusal{"nothing_after_aborted", S::kAborted, S::kCancelled, AllMet(), "state",
                "the session is aborted; no transition leaves aborted"},
        Refusal{"no_way_back", S::kMonitoring, S::kDosing, AllMet(), "state",
                "no transition from monitoring to dosing; allowed: ready_for_discharge, cancelled, aborted"}),
    [](const ::testing::TestParamInfo<Refusal>& param_info) { return param_info.param.name; });

// The escort rule cites the source of the product the session gives: the order's route, or before there is an
// order the course's (check-in comes before the order).
TEST(SessionStateTest, TheEscortRuleCitesTheSessionsProduct) {
    struct EscortCase {
        std::string what;
        std::optional<Route> order_route;
        std::optional<Route> course_route;
        std::string source;  // what the refusal ends with
    };
    const std::vector<EscortCase> cases = {
        {"IV course at check-in", std::nullopt, Route::kIv, "(clinical-reference §5.5 [PRACTICE])"},
        {"oral course at check-in", std::nullopt, Route::kOral, "(clinical-reference §5.5 [PRACTICE])"},
        {"esketamine course at check-in", std::nullopt, Route::kEsketamineNasal, "(Spravato USPI)"},
        {"esketamine order", Route::kEsketamineNasal, Route::kEsketamineNasal, "(Spravato USPI)"},
        {"IM order", Route::kIm, Route::kIm, "(clinical-reference §5.5 [PRACTICE])"},
    };
    for (const EscortCase& c : cases) {
        SessionFacts facts = AllMet();
        facts.escort_confirmed = false;
        facts.route = c.order_route;
        facts.course_route = c.course_route;
        const Status refused = CheckTransition(S::kScheduled, S::kCheckedIn, facts);
        ASSERT_FALSE(refused.ok()) << c.what;
        EXPECT_EQ(refused.error().field, "escort_confirmed") << c.what;
        const std::string& message = refused.error().message;
        EXPECT_TRUE(message.size() >= c.source.size() &&
                    message.compare(message.size() - c.source.size(), c.source.size(), c.source) == 0)
            << c.what << ": " << message;
    }
}

TEST(SessionStateTest, PrescriberOverrideOpensTheGate) {
    const SessionFacts facts = Iv([](SessionFacts& f) {
        f.pre_dose_bp = BloodPressure{152, 94};
        f.bp_override = GateOverride{"doctor@clinic.example", "long-standing treated hypertension, stable"};
    });
    EXPECT_TRUE(CheckTransition(S::kCheckedIn, S::kPreDoseOk, facts).ok());
}

TEST(SessionStateTest, GateIsInclusiveAndExactlyTwoHoursSuffices) {
    EXPECT_TRUE(CheckTransition(S::kCheckedIn, S::kPreDoseOk, Iv([](SessionFacts& f) {
                                    f.pre_dose_bp = BloodPressure{140, 90};
                                }))
                    .ok());
    EXPECT_TRUE(CheckTransition(S::kMonitoring, S::kReadyForDischarge,
                                Esketamine([](SessionFacts& f) { f.first_esketamine_device_at = kNow - minutes{120}; }))
                    .ok());
}

TEST(SessionStateTest, MonitoringClockStartsAtTheLaterOfDeviceAndDosingStep) {
    const TimePoint device = kNow - minutes{130};
    EXPECT_EQ(MonitoringClockStart(device, std::nullopt), device);
    EXPECT_EQ(MonitoringClockStart(device, kNow - minutes{140}), device);
    EXPECT_EQ(MonitoringClockStart(device, kNow - minutes{10}), kNow - minutes{10});
    EXPECT_TRUE(CheckTransition(S::kMonitoring, S::kReadyForDischarge, Esketamine([](SessionFacts& f) {
                                    f.first_esketamine_device_at = kNow - minutes{125};
                                    f.dosing_started_at = kNow - minutes{121};
                                }))
                    .ok());
}

// The time a board shows is the time the gate opens: at it the step is allowed, a minute before it is refused.
TEST(SessionStateTest, EarliestReadyForDischargeIsWhereTheGateOpens) {
    const SessionFacts esketamine = Esketamine([](SessionFacts& f) {
        f.first_esketamine_device_at = kNow - minutes{30};
        f.dosing_started_at = kNow - minutes{25};  // the device was timed before the step: the step counts
    });
    const std::optional<TimePoint> esketamine_at = EarliestReadyForDischarge(esketamine);
    ASSERT_TRUE(esketamine_at.has_value());
    EXPECT_EQ(*esketamine_at, kNow - minutes{25} + minutes{120});
    SessionFacts at = esketamine;
    at.now = *esketamine_at;
    EXPECT_TRUE(CheckTransition(S::kMonitoring, S::kReadyForDischarge, at).ok());
    at.now = *esketamine_at - minutes{1};
    EXPECT_FALSE(CheckTransition(S::kMonitoring, S::kReadyForDischarge, at).ok());

    EXPECT_EQ(EarliestReadyForDischarge(Esketamine([](SessionFacts& f) { f.first_esketamine_device_at.reset(); })),
              std::nullopt);
    const SessionFacts iv = Iv([](SessionFacts& f) { f.administration_ended_at = kNow - minutes{5}; });
    EXPECT_EQ(EarliestReadyForDischarge(iv), kNow - minutes{5});
    EXPECT_TRUE(CheckTransition(S::kMonitoring, S::kReadyForDischarge, iv).ok());
    EXPECT_EQ(EarliestReadyForDischarge(Iv([](SessionFacts& f) { f.administration_ended_at.reset(); })), std::nullopt);
}

// One administration's times against the pre-dose step and the server's clock (records.* at their defaults: 5 min
// skew, late after 30 min, refused after 24 h).
struct AdministrationTimeCase {
    std::string name;
    TimePoint started_at;
    std::optional<TimePoint> stopped_at;
    std::string field;  // empty: accepted
    EntryTiming timing = EntryTiming::kContemporaneous;
};

void PrintTo(const AdministrationTimeCase& time_case, std::ostream* out) {
    *out << time_case.name;
}

class AdministrationTimeTest : public ::testing::TestWithParam<AdministrationTimeCase> {};

const TimePoint kPreDoseOkAt = kNow - minutes{50};

TEST_P(AdministrationTimeTest, RefusesTimesTheHistoryContradicts) {
    const AdministrationTimeCase& want = GetParam();
    const Result<EntryTiming> timing =
        CheckAdministrationTime(want.started_at, want.stopped_at, kPreDoseOkAt, kNow, RecordSettings{});
    if (want.field.empty()) {
        ASSERT_TRUE(timing.ok()) << timing.error().ToString();
        EXPECT_EQ(*timing, want.timing);
    } else {
        ASSERT_FALSE(timing.ok());
        EXPECT_EQ(timing.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(timing.error().field, want.field);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, AdministrationTimeTest,
    ::testing::Values(
        AdministrationTimeCase{"now", kNow, std::nullopt, ""},
        AdministrationTimeCase{"at_the_pre_dose_step", kPreDoseOkAt, kNow, "", EntryTiming::kLate},
        AdministrationTimeCase{"within_skew", kNow + minutes{5}, std::nullopt, ""},
        AdministrationTimeCase{"start_in_future", kNow + minutes{6}, std::nullopt, "started_at"},
        AdministrationTimeCase{"stop_in_future", kNow - minutes{10}, kNow + minutes{6}, "stopped_at"},
        AdministrationTimeCase{"before_the_pre_dose_step", kPreDoseOkAt - std::chrono::seconds{1}, std::nullopt,
                               "started_at"},
        AdministrationTimeCase{"backdated_130_min", kNow - minutes{130}, kNow, "started_at"},
        AdministrationTimeCase{"stop_before_start", kNow - minutes{10}, kNow - minutes{11}, "stopped_at"},
        AdministrationTimeCase{"late_start", kNow - minutes{31}, kNow - minutes{1}, "", EntryTiming::kLate},
        AdministrationTimeCase{"late_start_and_stop", kNow - minutes{45}, kNow - minutes{40}, "", EntryTiming::kLate}),
    [](const ::testing::TestParamInfo<AdministrationTimeCase>& param_info) { return param_info.param.name; });

TEST(SessionStateTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kSessionStateNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
