// The bedside-monitor feed as issue 13 §2 and docs/clinical-rules.md "Device readings" want it, on both backends: a
// bound device feeds the session in progress in its room, as device vital signs distinct from manual ones; readings
// with no session are kept unassigned until staff assign them; a resent message stores nothing twice; invalid and
// unmapped observations are kept and flagged; one alert per breach episode; one charted reading per interval; two
// messages for one session at once raise one alert; a batch of messages in one transaction (group commit) answers
// each as if it had come alone, and a failed batch transaction costs no message its place.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/live_hub.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/storage/contract/fault_store.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/device_feed.hpp"
#include "app/device_feed_batch.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::DeviceMessage;
using app::DeviceObservation;
using app::DeviceReading;
using app::DeviceReadingStatus;
using app::IngestAccepted;
using app::IngestOutcome;
using app::PatientId;
using app::RoomId;
using app::SessionId;
using app::TimePoint;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kMonitor = "0012A4FFFE3B7C01";  // an EUI-64, as OBX-18 carries it
constexpr std::string_view kSecondMonitor = "0012A4FFFE3B7C02";

DeviceObservation Observation(std::string loinc, double value, std::string unit, TimePoint at) {
    DeviceObservation observation;
    observation.loinc = std::move(loinc);
    observation.value = value;
    observation.unit = std::move(unit);
    observation.observed_at = at;
    observation.raw = app::RawObservation{"147842", "MDC_ECG_HEART_RATE", "MDC", "72", "264864^MDC_DIM_BEAT_PER_MIN"};
    return observation;
}

DeviceObservation HeartRate(double value, TimePoint at) {
    return Observation("8867-4", value, "/min", at);
}

// A blood pressure as the HL7 adapter hands it over: its systolic and diastolic OBX paired into one reading of the
// panel (GroupBloodPressures), the systolic's OBX kept as its raw text.
std::vector<DeviceObservation> BloodPressure(double systolic, double diastolic, TimePoint at) {
    DeviceObservation panel = Observation("85354-9", systolic, "mm[Hg]", at);
    panel.diastolic = diastolic;
    panel.raw = app::RawObservation{"150021", "MDC_PRESS_BLD_NONINV_SYS", "MDC", "", "266016^MDC_DIM_MMHG"};
    return {panel};
}

class DeviceFeedContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        AddUser(nurse_.user, app::Role::kNurse);
        AddUser(prescriber_.user, app::Role::kPrescriber);
        patient_ = Register("MRN-D");
        Result<app::TreatmentRoom> chair =
            clinic().scheduling.CreateRoom(admin_, app::NewRoom{"Chair 1", clinical::RoomEquipment::kBoth, {}});
        ASSERT_TRUE(chair.ok()) << chair.error().ToString();
        chair_ = chair->id;
    }

    // patient_'s first IV session, with an appointment in chair_ from ten minutes ago (written straight into the
    // store: the booking rules are scheduling_contract_test's), checked in now; the clock is then 3 min later.
    SessionId SessionInChair(std::optional<PatientId> patient = std::nullopt) {
        const PatientId whose = patient.value_or(patient_);
        const app::CourseRecord course = StartCourse(whose);
        EXPECT_FALSE(course.sessions.empty());
        if (course.sessions.empty()) {
            return SessionId{};
        }
        const SessionId session = course.sessions.front().id;
        app::Appointment appointment;
        appointment.patient = whose;
        appointment.type = clinical::AppointmentType::kIvSession;
        appointment.start = clock_.Now() - minutes{10};
        appointment.end = clock_.Now() + minutes{150};
        appointment.room = chair_;
        appointment.staff = nurse_.user;
        appointment.session = session;
        appointment.status = clinical::AppointmentStatus::kCheckedIn;
        appointment.created_at = appointment.updated_at = clock_.Now();
        appointment.created_by = appointment.updated_by = "test";
        EXPECT_TRUE(
            StatusOf(store().Write([&](app::StoreTransaction& tx) { return tx.InsertAppointment(appointment); })).ok());
        EXPECT_NO_FATAL_FAILURE(CheckInAndConfirm(whose, session));
        return session;
    }

    DeviceMessage Message(std::string control_id, std::vector<DeviceObservation> observations,
                          std::string_view monitor = kMonitor) {
        DeviceMessage message;
        message.device = app::DeviceIdentity{"B40", "KCLINIC", std::string(monitor), "CHAIR1^^1"};
        message.message_control_id = std::move(control_id);
        message.received_at = clock_.Now();
        message.observations = std::move(observations);
        return message;
    }

    IngestAccepted Ingest(const DeviceMessage& message) {
        Result<IngestOutcome> outcome = clinic().devices.Ingest(message, clock_.Now());
        EXPECT_TRUE(outcome.ok()) << outcome.error().ToString();
        if (!outcome.ok()) {
            return {};
        }
        EXPECT_TRUE(std::holds_alternative<IngestAccepted>(*outcome)) << std::get<app::IngestRejected>(*outcome).reason;
        return std::holds_alternative<IngestAccepted>(*outcome) ? std::get<IngestAccepted>(*outcome) : IngestAccepted{};
    }

    app::DeviceView Bind(std::string_view key, RoomId room) {
        // The device is known once it sent something; bind it by its id.
        const std::vector<app::DeviceView> devices = Devices();
        auto found = std::find_if(devices.begin(), devices.end(),
                                  [&](const app::DeviceView& view) { return view.device.key == key; });
        EXPECT_NE(found, devices.end()) << key;
        if (found == devices.end()) {
            return {};
        }
        Result<app::DeviceView> bound = clinic().devices.BindDevice(admin_, found->device.id, room);
        EXPECT_TRUE(bound.ok()) << bound.error().ToString();
        return bound.ok() ? *bound : app::DeviceView{};
    }

    // Makes the device known (a message with no observation) and binds it to chair_.
    void BindToChair(std::string_view key = kMonitor) {
        Ingest(Message("HELLO-" + std::string(key), {}, key));
        Bind(key, chair_);
    }

    std::vector<app::DeviceView> Devices() {
        Result<std::vector<app::DeviceView>> devices = clinic().devices.ListDevices(admin_);
        EXPECT_TRUE(devices.ok()) << devices.error().ToString();
        return devices.ok() ? *devices : std::vector<app::DeviceView>{};
    }

    std::vector<DeviceReading> Readings(bool unassigned_only) {
        app::DeviceReadingFilter filter;
        filter.unassigned_only = unassigned_only;
        filter.limit = app::kMaxPageSize;
        Result<std::vector<DeviceReading>> readings = clinic().devices.ListDeviceReadings(nurse_, filter);
        EXPECT_TRUE(readings.ok()) << readings.error().ToString();
        return readings.ok() ? *readings : std::vector<DeviceReading>{};
    }

    std::vector<app::VitalSign> Vitals(PatientId patient) {
        Result<std::vector<app::VitalSign>> vitals =
            clinic().patients.ListVitalSigns(nurse_, patient, std::nullopt, app::kMaxPageSize);
        EXPECT_TRUE(vitals.ok()) << vitals.error().ToString();
        return vitals.ok() ? *vitals : std::vector<app::VitalSign>{};
    }

    std::vector<app::VitalSign> DeviceVitals(PatientId patient) {
        std::vector<app::VitalSign> vitals = Vitals(patient);
        std::erase_if(vitals, [](const app::VitalSign& vital) { return vital.source != app::VitalSource::kDevice; });
        return vitals;
    }

    std::vector<app::Alert> Alerts(SessionId session) {
        app::AlertFilter filter;
        filter.session = session;
        filter.limit = app::kMaxPageSize;
        Result<std::vector<app::Alert>> alerts = clinic().alerts.ListAlerts(nurse_, filter);
        EXPECT_TRUE(alerts.ok()) << alerts.error().ToString();
        return alerts.ok() ? *alerts : std::vector<app::Alert>{};
    }

    PatientId patient_;
    RoomId chair_;
};

TEST_P(DeviceFeedContractTest, ABoundMonitorFeedsTheSessionInProgressInItsRoomAsDeviceReadings) {
    const SessionId session = SessionInChair();
    BindToChair();
    std::vector<DeviceObservation> observations = BloodPressure(132, 84, clock_.Now());
    observations.push_back(HeartRate(76, clock_.Now()));
    const IngestAccepted accepted = Ingest(Message("MSG-1", observations));

    EXPECT_FALSE(accepted.duplicate);
    ASSERT_EQ(accepted.readings.size(), 2u) << "the blood pressure is one reading";
    ASSERT_EQ(accepted.charted.size(), 2u);
    const DeviceReading& bp = accepted.readings[0];
    EXPECT_EQ(bp.loinc, "85354-9");
    EXPECT_EQ(bp.value, 132);
    EXPECT_EQ(bp.diastolic, 84);
    EXPECT_EQ(bp.raw_code, "150021");
    EXPECT_EQ(bp.status, DeviceReadingStatus::kValid);
    EXPECT_EQ(bp.session, session);
    EXPECT_EQ(bp.patient, patient_);
    EXPECT_EQ(bp.room, chair_);
    EXPECT_TRUE(bp.vital_sign.has_value());

    // In the chart: device readings, distinct from the manual pre-dose BP, naming the device and the message.
    const std::vector<app::VitalSign> vitals = Vitals(patient_);
    ASSERT_EQ(vitals.size(), 3u);
    EXPECT_EQ(vitals[0].source, app::VitalSource::kManual);
    for (std::size_t i = 1; i < vitals.size(); ++i) {
        EXPECT_EQ(vitals[i].source, app::VitalSource::kDevice);
        EXPECT_EQ(vitals[i].device_id, kMonitor);
        EXPECT_EQ(vitals[i].device_message_id, "MSG-1");
        EXPECT_EQ(vitals[i].session, session);
        EXPECT_EQ(vitals[i].recorded_by, "system:mllp");
    }
    EXPECT_TRUE(Readings(true).empty()) << "nothing left unassigned";

    const std::vector<app::AuditEntry> audit = Audit(patient_.value);
    const auto by_feed = std::count_if(audit.begin(), audit.end(), [](const app::AuditEntry& entry) {
        return entry.actor == "system:mllp" && entry.origin == "mllp:" + std::string(kMonitor);
    });
    EXPECT_EQ(by_feed, 3) << "two vital_sign.create and one device_reading.create";

    const std::vector<app::DeviceView> devices = Devices();
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices[0].device.message_count, 2);  // the hello and MSG-1
    EXPECT_EQ(devices[0].device.last_message_control_id, "MSG-1");
    EXPECT_EQ(devices[0].device.equipment_id, kMonitor);
    EXPECT_EQ(devices[0].device.sending_application, "B40");
    EXPECT_EQ(devices[0].device.location, "CHAIR1^^1");
    ASSERT_TRUE(devices[0].room.has_value());
    EXPECT_EQ(devices[0].room->id, chair_);
}

TEST_P(DeviceFeedContractTest, ReadingsWithNoSessionAreKeptUnassignedUntilStaffAssignThem) {
    // Unbound: kept, not charted.
    Ingest(Message("MSG-1", {HeartRate(80, clock_.Now())}));
    // Bound, but nobody checked in to the chair yet.
    Bind(kMonitor, chair_);
    clock_.Advance(minutes{1});
    Ingest(Message("MSG-2", {HeartRate(82, clock_.Now())}));
    std::vector<DeviceReading> unassigned = Readings(true);
    ASSERT_EQ(unassigned.size(), 2u);
    EXPECT_FALSE(unassigned[0].room.has_value());
    EXPECT_EQ(unassigned[1].room, chair_);
    EXPECT_TRUE(DeviceVitals(patient_).empty());

    const SessionId session = SessionInChair();
    Result<app::AssignedReadings> assigned =
        clinic().devices.AssignDeviceReadings(nurse_, {unassigned[0].id, unassigned[1].id}, patient_, session);
    ASSERT_TRUE(assigned.ok()) << assigned.error().ToString();
    ASSERT_EQ(assigned->readings.size(), 2u);
    EXPECT_EQ(assigned->readings[0].assigned_by, nurse_.user);
    // 60 s apart: both charted, in the named session, flagged as the device's.
    ASSERT_EQ(assigned->charted.size(), 2u);
    EXPECT_EQ(assigned->charted[0].session, session);
    EXPECT_EQ(assigned->charted[0].source, app::VitalSource::kDevice);
    EXPECT_EQ(DeviceVitals(patient_).size(), 2u);
    EXPECT_TRUE(Readings(true).empty());
    EXPECT_EQ(Readings(false).size(), 2u) << "assigned readings stay in the device log";

    // Once assigned, never again, and nothing of a refused assignment is written.
    const std::size_t audit_before = Audit().size();
    Result<app::AssignedReadings> again =
        clinic().devices.AssignDeviceReadings(nurse_, {unassigned[0].id}, patient_, std::nullopt);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(again.error().field, "reading_id");
    EXPECT_EQ(Audit().size(), audit_before);
    const std::vector<std::string> actions = AuditActions(patient_.value);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "device_reading.assign"), 2);

    // Another patient's session is refused.
    const PatientId bob = Register("MRN-E");
    Ingest(Message("MSG-3", {HeartRate(90, clock_.Now())}, kSecondMonitor));
    const std::vector<DeviceReading> left = Readings(true);
    ASSERT_EQ(left.size(), 1u);
    Result<app::AssignedReadings> wrong = clinic().devices.AssignDeviceReadings(nurse_, {left[0].id}, bob, session);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(wrong.error().field, "session_id");
}

TEST_P(DeviceFeedContractTest, AResentMessageStoresNothingTwiceAndIsAcceptedAgain) {
    const SessionId session = SessionInChair();
    BindToChair();
    const DeviceMessage message = Message("MSG-7", BloodPressure(190, 90, clock_.Now()));
    const IngestAccepted first = Ingest(message);
    ASSERT_EQ(first.charted.size(), 1u);
    ASSERT_EQ(first.charted[0].alerts.size(), 1u);

    clock_.Advance(seconds{5});
    const IngestAccepted resent = Ingest(message);
    EXPECT_TRUE(resent.duplicate);
    EXPECT_TRUE(resent.readings.empty());
    EXPECT_TRUE(resent.charted.empty());
    EXPECT_EQ(DeviceVitals(patient_).size(), 1u);
    EXPECT_EQ(Alerts(session).size(), 1u);
    EXPECT_EQ(Readings(false).size(), 1u);
    EXPECT_EQ(Devices()[0].device.message_count, 2);  // the hello and MSG-7 once

    // The same MSH-10 from another device is another message.
    BindToChair(kSecondMonitor);
    const IngestAccepted other = Ingest(Message("MSG-7", {HeartRate(70, clock_.Now())}, kSecondMonitor));
    EXPECT_FALSE(other.duplicate);
    EXPECT_EQ(other.readings.size(), 1u);
}

TEST_P(DeviceFeedContractTest, InvalidAndUnmappedObservationsAreKeptFlaggedAndNeverChartedOrAlerted) {
    const SessionId session = SessionInChair();
    BindToChair();
    DeviceObservation flagged = Observation("59408-5", 80, "%", clock_.Now());  // below 93 %: would alert
    flagged.valid = false;
    flagged.invalid_reason = "OBX-11 result status X";
    const DeviceObservation implausible = HeartRate(400, clock_.Now());
    const DeviceObservation lone_systolic = Observation("8480-6", 200, "mm[Hg]", clock_.Now());
    const DeviceObservation future = HeartRate(70, clock_.Now() + minutes{30});
    DeviceMessage message = Message("MSG-X", {flagged, implausible, lone_systolic, future});
    app::UnmappedObservation unknown;
    unknown.raw = app::RawObservation{"0002-4182", "HR", "MDIL", "71", "bpm"};
    unknown.reason = "no mapping for 0002-4182 (MDIL)";
    message.unmapped.push_back(unknown);

    const IngestAccepted accepted = Ingest(message);
    ASSERT_EQ(accepted.readings.size(), 5u);
    EXPECT_TRUE(accepted.charted.empty());
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(accepted.readings[i].status, DeviceReadingStatus::kInvalid) << i;
        EXPECT_FALSE(accepted.readings[i].status_reason.empty()) << i;
        EXPECT_FALSE(accepted.readings[i].vital_sign.has_value()) << i;
    }
    EXPECT_EQ(accepted.readings[0].status_reason, "OBX-11 result status X");
    EXPECT_EQ(accepted.readings[4].status, DeviceReadingStatus::kUnmapped);
    EXPECT_EQ(accepted.readings[4].raw_code, "0002-4182");
    EXPECT_EQ(accepted.readings[4].raw_value, "71");
    EXPECT_TRUE(Alerts(session).empty());
    EXPECT_TRUE(DeviceVitals(patient_).empty());
    EXPECT_EQ(Readings(false).size(), 5u) << "every observation is in the device log";
    EXPECT_TRUE(Readings(true).empty()) << "the session's own, not unassigned data";
    EXPECT_EQ(accepted.readings[4].session, session);

    const app::Device device = Devices()[0].device;
    EXPECT_EQ(device.error_count, 1);
    EXPECT_NE(device.last_error.find("0002-4182"), std::string::npos) << device.last_error;
    EXPECT_TRUE(device.last_error_at.has_value());
}

TEST_P(DeviceFeedContractTest, ADangerousMonitorRaisesOneAlertPerBreachEpisode) {
    const SessionId session = SessionInChair();
    BindToChair();
    // A systolic of 190 every 10 s for 3 minutes: one episode, one alert, even once it is acknowledged.
    int sent = 0;
    std::optional<app::AlertId> first_alert;
    for (int i = 0; i < 18; ++i) {
        const IngestAccepted accepted =
            Ingest(Message("BP-" + std::to_string(++sent), BloodPressure(190, 95, clock_.Now())));
        if (i == 0) {
            ASSERT_EQ(accepted.charted.size(), 1u);
            ASSERT_EQ(accepted.charted[0].alerts.size(), 1u);
            EXPECT_EQ(accepted.charted[0].alerts[0].rule, "systolic_high");
            EXPECT_EQ(accepted.readings[0].alert_episode, "blood_pressure_high");
            first_alert = accepted.charted[0].alerts[0].id;
        }
        if (i == 6) {
            ASSERT_TRUE(clinic().alerts.Acknowledge(nurse_, *first_alert, "at the chair").ok());
        }
        clock_.Advance(seconds{10});
    }
    // Both pressures high now: the same blood-pressure episode.
    Ingest(Message("BP-" + std::to_string(++sent), BloodPressure(195, 115, clock_.Now())));
    EXPECT_EQ(Alerts(session).size(), 1u);

    // A heart rate too fast is another danger: its own alert.
    const IngestAccepted tachycardia = Ingest(Message("HR-1", {HeartRate(130, clock_.Now())}));
    ASSERT_EQ(tachycardia.charted.size(), 1u);
    EXPECT_EQ(tachycardia.charted[0].alerts.size(), 1u);

    // Normal for the quiet time (5 min by default), then high again: a new episode.
    for (int i = 0; i < 6; ++i) {
        clock_.Advance(minutes{1});
        Ingest(Message("BP-" + std::to_string(++sent), BloodPressure(130, 80, clock_.Now())));
    }
    const IngestAccepted again = Ingest(Message("BP-" + std::to_string(++sent), BloodPressure(188, 90, clock_.Now())));
    ASSERT_EQ(again.charted.size(), 1u);
    EXPECT_EQ(again.charted[0].alerts.size(), 1u);
    EXPECT_EQ(Alerts(session).size(), 3u);

    // A shorter quiet time is a setting.
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin_, "monitoring.device_alert_quiet_minutes", "1").ok());
    clock_.Advance(seconds{70});
    const IngestAccepted sooner = Ingest(Message("BP-" + std::to_string(++sent), BloodPressure(188, 90, clock_.Now())));
    ASSERT_EQ(sooner.charted.size(), 1u);
    EXPECT_EQ(sooner.charted[0].alerts.size(), 1u);
}

TEST_P(DeviceFeedContractTest, TheChartKeepsOneReadingPerIntervalAndTheDeviceLogAll) {
    SessionInChair();
    BindToChair();
    // Every 10 s for 2 min: charted at 0, 60 and 120 s (the default interval, 60 s).
    for (int i = 0; i <= 12; ++i) {
        Ingest(Message("HR-" + std::to_string(i), {HeartRate(70 + (i % 3), clock_.Now())}));
        clock_.Advance(seconds{10});
    }
    EXPECT_EQ(DeviceVitals(patient_).size(), 3u);
    EXPECT_EQ(Readings(false).size(), 13u);

    ASSERT_TRUE(clinic().settings.ChangeSetting(admin_, "monitoring.device_chart_interval_seconds", "15").ok());
    for (int i = 0; i < 6; ++i) {
        Ingest(Message("HR-B" + std::to_string(i), {HeartRate(72, clock_.Now())}));
        clock_.Advance(seconds{10});
    }
    // 10 s after the last charted (120 s) is the first of these; then every other one is 20 s on.
    EXPECT_EQ(DeviceVitals(patient_).size(), 6u);
}

TEST_P(DeviceFeedContractTest, TwoMonitorsOfOneSessionAtOnceRaiseOneAlertAndChartOneReading) {
    const SessionId session = SessionInChair();
    BindToChair(kMonitor);
    BindToChair(kSecondMonitor);
    const TimePoint at = clock_.Now();
    std::vector<Result<IngestOutcome>> outcomes(2, Result<IngestOutcome>(Error{ErrorCode::kInternal, "", "unset"}));
    {
        std::thread first(
            [&] { outcomes[0] = clinic().devices.Ingest(Message("A-1", {HeartRate(140, at)}, kMonitor), at); });
        std::thread second(
            [&] { outcomes[1] = clinic().devices.Ingest(Message("B-1", {HeartRate(141, at)}, kSecondMonitor), at); });
        first.join();
        second.join();
    }
    for (const Result<IngestOutcome>& outcome : outcomes) {
        ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
        ASSERT_TRUE(std::holds_alternative<IngestAccepted>(*outcome));
    }
    EXPECT_EQ(Alerts(session).size(), 1u);
    EXPECT_EQ(DeviceVitals(patient_).size(), 1u);
    EXPECT_EQ(Readings(false).size(), 2u);

    // A resend racing its original (the monitor timed out waiting for the ACK): stored once, both accepted.
    const DeviceMessage resent = Message("A-2", {HeartRate(72, at + seconds{90})}, kMonitor);
    {
        std::thread first([&] { outcomes[0] = clinic().devices.Ingest(resent, at); });
        std::thread second([&] { outcomes[1] = clinic().devices.Ingest(resent, at); });
        first.join();
        second.join();
    }
    int duplicates = 0;
    for (const Result<IngestOutcome>& outcome : outcomes) {
        ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
        ASSERT_TRUE(std::holds_alternative<IngestAccepted>(*outcome));
        duplicates += std::get<IngestAccepted>(*outcome).duplicate ? 1 : 0;
    }
    EXPECT_EQ(duplicates, 1);
    EXPECT_EQ(Readings(false).size(), 3u);
    EXPECT_EQ(DeviceVitals(patient_).size(), 2u);
}

TEST_P(DeviceFeedContractTest, AMessageWithoutControlIdOrDeviceIsRejectedAndCounted) {
    BindToChair();
    Result<IngestOutcome> no_id = clinic().devices.Ingest(Message("", {HeartRate(70, clock_.Now())}), clock_.Now());
    ASSERT_TRUE(no_id.ok());
    ASSERT_TRUE(std::holds_alternative<app::IngestRejected>(*no_id));
    EXPECT_EQ(std::get<app::IngestRejected>(*no_id).field, "MSH-10");
    const app::Device device = Devices()[0].device;
    EXPECT_EQ(device.error_count, 1);
    EXPECT_NE(device.last_error.find("MSH-10"), std::string::npos);
    EXPECT_EQ(device.message_count, 1);

    DeviceMessage nameless = Message("MSG-1", {HeartRate(70, clock_.Now())});
    nameless.device = app::DeviceIdentity{};
    Result<IngestOutcome> anonymous = clinic().devices.Ingest(nameless, clock_.Now());
    ASSERT_TRUE(anonymous.ok());
    ASSERT_TRUE(std::holds_alternative<app::IngestRejected>(*anonymous));
    EXPECT_EQ(std::get<app::IngestRejected>(*anonymous).field, "MSH-3");
    EXPECT_TRUE(Readings(false).empty());
    EXPECT_EQ(Devices().size(), 1u);

    // A gateway with no OBX-18 is known by its sending application and facility.
    EXPECT_EQ(app::DeviceKey(app::DeviceIdentity{"GATEWAY", "ICU", "", "BED1"}), "GATEWAY|ICU");
    EXPECT_EQ(app::DeviceKey(app::DeviceIdentity{"GATEWAY", "", "", ""}), "GATEWAY");
    EXPECT_EQ(app::DeviceKey(app::DeviceIdentity{"GATEWAY", "ICU", "EUI", ""}), "EUI");
}

// The accepted outcome of a batch, or a test failure naming the message.
IngestAccepted AcceptedAt(const std::vector<Result<IngestOutcome>>& outcomes, std::size_t index) {
    EXPECT_GT(outcomes.size(), index);
    if (outcomes.size() <= index) {
        return {};
    }
    const Result<IngestOutcome>& outcome = outcomes[index];
    EXPECT_TRUE(outcome.ok()) << "message " << index << ": " << outcome.error().ToString();
    if (!outcome.ok() || !std::holds_alternative<IngestAccepted>(*outcome)) {
        ADD_FAILURE() << "message " << index << " was not accepted";
        return {};
    }
    return std::get<IngestAccepted>(*outcome);
}

TEST_P(DeviceFeedContractTest, ABatchStoresTwoCopiesOfAMessageOnceAndFeedsBoundAndUnboundDevicesAsAlone) {
    const SessionId session = SessionInChair();
    BindToChair();
    const DeviceMessage first = Message("MSG-1", {HeartRate(76, clock_.Now())});
    const std::vector<DeviceMessage> batch = {
        first,
        Message("MSG-1", {HeartRate(81, clock_.Now())}, kSecondMonitor),  // another device's MSG-1; unbound
        first,                                                            // a resend within the same batch
        Message("MSG-2", BloodPressure(128, 80, clock_.Now())),
    };
    const std::vector<Result<IngestOutcome>> outcomes =
        app::DeviceFeedBatches(store(), clock_).IngestBatch(batch, clock_.Now());
    ASSERT_EQ(outcomes.size(), batch.size());

    const IngestAccepted bound = AcceptedAt(outcomes, 0);
    EXPECT_FALSE(bound.duplicate);
    ASSERT_EQ(bound.readings.size(), 1u);
    EXPECT_EQ(bound.readings[0].session, session);
    EXPECT_EQ(bound.charted.size(), 1u);

    const IngestAccepted unbound = AcceptedAt(outcomes, 1);
    EXPECT_FALSE(unbound.duplicate) << "the same MSH-10 from another device is another message";
    ASSERT_EQ(unbound.readings.size(), 1u);
    EXPECT_FALSE(unbound.readings[0].session.has_value());
    EXPECT_FALSE(unbound.readings[0].room.has_value());
    EXPECT_TRUE(unbound.charted.empty());

    const IngestAccepted copy = AcceptedAt(outcomes, 2);
    EXPECT_TRUE(copy.duplicate);
    EXPECT_TRUE(copy.readings.empty());
    EXPECT_TRUE(copy.charted.empty());

    const IngestAccepted pressure = AcceptedAt(outcomes, 3);
    ASSERT_EQ(pressure.readings.size(), 1u) << "the systolic and diastolic are one reading";
    EXPECT_EQ(pressure.readings[0].session, session);

    EXPECT_EQ(Readings(false).size(), 3u);
    const std::vector<DeviceReading> unassigned = Readings(true);
    ASSERT_EQ(unassigned.size(), 1u);
    EXPECT_EQ(unassigned[0].value, 81);
    EXPECT_EQ(DeviceVitals(patient_).size(), 2u);
    for (const app::DeviceView& view : Devices()) {
        // kMonitor: the hello, MSG-1 and MSG-2; kSecondMonitor: its MSG-1.
        EXPECT_EQ(view.device.message_count, view.device.key == kMonitor ? 3 : 1) << view.device.key;
    }

    // The batch's messages sent again, one by one: each a resend.
    for (const DeviceMessage& message : batch) {
        EXPECT_TRUE(Ingest(message).duplicate) << message.message_control_id;
    }
    EXPECT_EQ(Readings(false).size(), 3u);
}

// A group commit's writes go in multi-row statements of at most 64 rows (sql/multi_row.hpp) and the device-log rows
// of messages that feed no session wait for those of the next message that does: over several statements and that
// wait, every reading keeps its message's order and its own id, and every device its count and last message.
TEST_P(DeviceFeedContractTest, ABatchOfManyMessagesKeepsTheirOrderInTheDeviceLogAndOnTheirDevices) {
    const SessionId session = SessionInChair();
    BindToChair();
    const std::vector<std::string> monitors = {"BEDSIDE-0", "BEDSIDE-1", "BEDSIDE-2"};  // unbound
    std::vector<DeviceMessage> batch;
    for (int i = 0; i < 70; ++i) {
        if (i == 35) {
            batch.push_back(Message("BOUND-1", {HeartRate(77, clock_.Now())}));  // feeds the session
        }
        batch.push_back(Message("MSG-" + std::to_string(i),
                                {HeartRate(60 + i, clock_.Now()), HeartRate(60.5 + i, clock_.Now())},
                                monitors[static_cast<std::size_t>(i % 3)]));
    }
    const std::vector<Result<IngestOutcome>> outcomes =
        app::DeviceFeedBatches(store(), clock_).IngestBatch(batch, clock_.Now());
    ASSERT_EQ(outcomes.size(), batch.size());

    std::map<std::int64_t, DeviceReading> stored;
    for (DeviceReading& reading : Readings(false)) {
        stored.emplace(reading.id.value, std::move(reading));
    }
    ASSERT_EQ(stored.size(), 70u * 2 + 1);
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const IngestAccepted accepted = AcceptedAt(outcomes, i);
        EXPECT_FALSE(accepted.duplicate) << i;
        ASSERT_EQ(accepted.readings.size(), batch[i].observations.size()) << i;
        for (std::size_t r = 0; r < accepted.readings.size(); ++r) {
            const DeviceReading& reading = accepted.readings[r];
            EXPECT_GT(reading.id.value, previous) << "the device log keeps the order the readings came: " << i;
            previous = reading.id.value;
            const auto found = stored.find(reading.id.value);
            ASSERT_NE(found, stored.end()) << i;
            EXPECT_EQ(found->second.message_control_id, batch[i].message_control_id) << i;
            EXPECT_EQ(found->second.value, batch[i].observations[r].value) << i;
            EXPECT_EQ(found->second.session, reading.session) << i;
        }
    }
    EXPECT_EQ(AcceptedAt(outcomes, 35).readings.front().session, session);
    EXPECT_EQ(AcceptedAt(outcomes, 35).charted.size(), 1u);

    std::map<std::string, app::Device> devices;
    for (app::DeviceView& view : Devices()) {
        devices.emplace(view.device.key, std::move(view.device));
    }
    // MSG-i came from BEDSIDE-(i % 3): 24, 23 and 23 messages, the last MSG-69, MSG-67 and MSG-68.
    EXPECT_EQ(devices["BEDSIDE-0"].message_count, 24);
    EXPECT_EQ(devices["BEDSIDE-0"].last_message_control_id, "MSG-69");
    EXPECT_EQ(devices["BEDSIDE-1"].message_count, 23);
    EXPECT_EQ(devices["BEDSIDE-1"].last_message_control_id, "MSG-67");
    EXPECT_EQ(devices["BEDSIDE-2"].message_count, 23);
    EXPECT_EQ(devices["BEDSIDE-2"].last_message_control_id, "MSG-68");
    EXPECT_EQ(devices[std::string(kMonitor)].message_count, 2);  // the hello and BOUND-1
    EXPECT_EQ(devices[std::string(kMonitor)].last_message_control_id, "BOUND-1");
}

TEST_P(DeviceFeedContractTest, ARefusalInsideABatchCostsTheOtherMessagesNothing) {
    BindToChair();
    DeviceMessage nameless = Message("MSG-3", {HeartRate(70, clock_.Now())});
    nameless.device = app::DeviceIdentity{};
    const std::vector<DeviceMessage> batch = {
        Message("MSG-1", {HeartRate(72, clock_.Now())}),
        Message("", {HeartRate(74, clock_.Now())}),  // no MSH-10
        nameless,
        Message("MSG-2", {HeartRate(76, clock_.Now())}),
    };
    const std::vector<Result<IngestOutcome>> outcomes =
        app::DeviceFeedBatches(store(), clock_).IngestBatch(batch, clock_.Now());
    ASSERT_EQ(outcomes.size(), batch.size());
    EXPECT_EQ(AcceptedAt(outcomes, 0).readings.size(), 1u);
    for (const std::size_t refused : {1u, 2u}) {
        ASSERT_TRUE(outcomes[refused].ok()) << outcomes[refused].error().ToString();
        ASSERT_TRUE(std::holds_alternative<app::IngestRejected>(*outcomes[refused])) << refused;
    }
    EXPECT_EQ(std::get<app::IngestRejected>(*outcomes[1]).field, "MSH-10");
    EXPECT_EQ(std::get<app::IngestRejected>(*outcomes[2]).field, "MSH-3");
    EXPECT_EQ(AcceptedAt(outcomes, 3).readings.size(), 1u);

    EXPECT_EQ(Readings(false).size(), 2u);
    const std::vector<app::DeviceView> devices = Devices();
    ASSERT_EQ(devices.size(), 1u) << "a message naming no device makes none";
    EXPECT_EQ(devices[0].device.error_count, 1) << "the missing MSH-10 counted, in the batch's transaction";
    EXPECT_NE(devices[0].device.last_error.find("MSH-10"), std::string::npos);
    EXPECT_EQ(devices[0].device.message_count, 3);  // the hello, MSG-1 and MSG-2
}

TEST_P(DeviceFeedContractTest, ABatchWhoseTransactionFailsIsStoredMessageByMessageEachOnce) {
    const SessionId session = SessionInChair();
    BindToChair();
    FaultStore faults(store());
    app::DeviceFeedBatches feed(faults, clock_);
    const DeviceMessage first = Message("MSG-1", BloodPressure(190, 90, clock_.Now()));
    const std::vector<DeviceMessage> batch = {first, Message("MSG-2", {HeartRate(150, clock_.Now())}), first};

    faults.FailCommit(ErrorCode::kUnavailable);
    const std::vector<Result<IngestOutcome>> outcomes = feed.IngestBatch(batch, clock_.Now());
    EXPECT_TRUE(faults.fired()) << "the batch's commit did not fail: the test shows nothing";
    ASSERT_EQ(outcomes.size(), batch.size());
    const IngestAccepted pressure = AcceptedAt(outcomes, 0);
    EXPECT_FALSE(pressure.duplicate);
    ASSERT_EQ(pressure.charted.size(), 1u);
    EXPECT_EQ(pressure.charted[0].alerts.size(), 1u) << "the alert raised once, by the retry that was stored";
    EXPECT_FALSE(AcceptedAt(outcomes, 1).duplicate);
    EXPECT_TRUE(AcceptedAt(outcomes, 2).duplicate);

    EXPECT_EQ(Readings(false).size(), 2u);
    EXPECT_EQ(DeviceVitals(patient_).size(), 2u);
    EXPECT_EQ(Alerts(session).size(), 2u);  // the high BP and the fast heart rate, nothing of the failed commit
    EXPECT_EQ(Devices()[0].device.message_count, 3);
}

TEST_P(DeviceFeedContractTest, BindingMovesAMonitorBetweenRoomsAndUnbindingLeavesItsReadingsUnassigned) {
    const SessionId session = SessionInChair();
    BindToChair();
    Result<app::TreatmentRoom> other =
        clinic().scheduling.CreateRoom(admin_, app::NewRoom{"Chair 2", clinical::RoomEquipment::kBoth, {}});
    ASSERT_TRUE(other.ok());
    const app::DeviceView moved = Bind(kMonitor, other->id);
    ASSERT_TRUE(moved.room.has_value());
    EXPECT_EQ(moved.room->id, other->id);
    Result<app::TreatmentRoom> chair = store().Read([&](app::StoreTransaction& tx) { return tx.GetRoom(chair_); });
    ASSERT_TRUE(chair.ok());
    EXPECT_TRUE(chair->monitor_ids.empty()) << "a monitor is in one room at a time";

    // Bound to an empty chair now: the reading is kept unassigned, not given to the session in chair 1.
    Ingest(Message("MSG-1", {HeartRate(75, clock_.Now())}));
    EXPECT_EQ(Readings(true).size(), 1u);
    EXPECT_TRUE(Alerts(session).empty());

    Result<app::DeviceView> unbound = clinic().devices.UnbindDevice(nurse_, moved.device.id);
    ASSERT_TRUE(unbound.ok()) << unbound.error().ToString();
    EXPECT_FALSE(unbound->room.has_value());
    Result<app::DeviceView> twice = clinic().devices.UnbindDevice(nurse_, moved.device.id);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);
    const std::vector<std::string> actions = AuditActions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "device.bind"), 2);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "device.unbind"), 1);

    // A device in two rooms (set by hand on the rooms) feeds neither, and says so.
    Result<app::TreatmentRoom> first = store().Read([&](app::StoreTransaction& tx) { return tx.GetRoom(chair_); });
    ASSERT_TRUE(first.ok());
    app::TreatmentRoom doubled = *first;
    doubled.monitor_ids = {std::string(kMonitor)};
    ASSERT_TRUE(clinic().scheduling.UpdateRoom(admin_, doubled).ok());
    Result<app::TreatmentRoom> second = store().Read([&](app::StoreTransaction& tx) { return tx.GetRoom(other->id); });
    ASSERT_TRUE(second.ok());
    app::TreatmentRoom also = *second;
    also.monitor_ids = {std::string(kMonitor)};
    ASSERT_TRUE(clinic().scheduling.UpdateRoom(admin_, also).ok());
    const IngestAccepted ambiguous = Ingest(Message("MSG-2", {HeartRate(75, clock_.Now())}));
    ASSERT_EQ(ambiguous.readings.size(), 1u);
    EXPECT_FALSE(ambiguous.readings[0].session.has_value());
    EXPECT_NE(Devices()[0].device.last_error.find("2 rooms"), std::string::npos);
}

// A sink that only counts its wake-ups; the test takes its messages from the hub.
class CountingSink final : public http::LiveSink {
public:
    void OnMessages() override { ++wakeups; }
    void OnDropped(std::string_view /*reason*/) override { dropped = true; }
    int wakeups = 0;
    bool dropped = false;
};

// The seam the MLLP listener uses: after Ingest returned (the readings durable, the ACK sent), PublishIngested hands
// the charted readings and their alerts to the live hub the WebSocket sessions subscribe to; the session's watcher
// and the board receive them as vital_sign and alert events, the reading marked as the device's.
TEST_P(DeviceFeedContractTest, AnIngestedDangerousReadingReachesTheSessionAndTheBoardLive) {
    const SessionId session = SessionInChair();
    BindToChair();
    http::MetricsRegistry metrics;
    http::LiveHub hub(metrics);
    const auto session_watcher = std::make_shared<CountingSink>();
    const auto board_watcher = std::make_shared<CountingSink>();
    hub.Subscribe(session_watcher, http::LiveTopic::ForSession(session, patient_));
    hub.Subscribe(board_watcher, http::LiveTopic::Board());

    const IngestAccepted accepted = Ingest(Message("MSG-LIVE", {Observation("59408-5", 88, "%", clock_.Now())}));
    json::PublishIngested(hub, accepted);

    for (const auto& watcher : {session_watcher, board_watcher}) {
        std::vector<nlohmann::json> messages;
        while (std::optional<http::LiveDelivery> delivery = hub.Take(*watcher)) {
            EXPECT_EQ(delivery->patient, patient_);
            messages.push_back(nlohmann::json::parse(*delivery->message));
        }
        ASSERT_EQ(messages.size(), 2u);
        EXPECT_EQ(messages[0]["type"], "vital_sign");
        EXPECT_EQ(messages[0]["record"]["source"], "device");
        EXPECT_EQ(messages[0]["record"]["device_id"], kMonitor);
        EXPECT_EQ(messages[0]["record"]["device_message_id"], "MSG-LIVE");
        EXPECT_EQ(messages[0]["record"]["value"], 88);
        EXPECT_EQ(messages[1]["type"], "alert");
        EXPECT_EQ(messages[1]["record"]["rule"], "spo2_low");
        EXPECT_EQ(messages[1]["record"]["session_id"], session.value);
        EXPECT_GE(watcher->wakeups, 1);
        EXPECT_FALSE(watcher->dropped);
    }

    // A resend publishes nothing: its readings went out when it was first accepted.
    json::PublishIngested(hub, Ingest(Message("MSG-LIVE", {Observation("59408-5", 88, "%", clock_.Now())})));
    EXPECT_FALSE(hub.Take(*session_watcher).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeviceFeedContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
