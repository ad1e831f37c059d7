// The storage contract for the whole-record export: one consistent snapshot of every patient's record, the
// settings and the audit log, on a real SQLite file and a real PostgreSQL server; every exported patient audited.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "adapters/json/ndjson_export.hpp"
#include "adapters/storage/contract/recording_export_sink.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/record_export.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

namespace json = adapters::json;

class ExportContractTest : public UseCaseTest {
protected:
    // The export as `kclinic export --format ndjson` writes it, one line per element; empty (and a test failure) when
    // it failed.
    std::vector<std::string> NdjsonLines() {
        std::ostringstream ndjson;
        json::NdjsonExportSink sink(ndjson, store().Backend(), At(0));
        const Result<app::ExportSummary> exported = app::RecordExport(store(), clock_).Export(exporter_, sink);
        EXPECT_TRUE(exported.ok()) << exported.error().ToString();
        std::vector<std::string> lines;
        std::istringstream read(ndjson.str());
        for (std::string line; exported.ok() && std::getline(read, line);) {
            lines.push_back(line);
        }
        return lines;
    }

    app::Actor exporter_{"cli:admin", "cli"};
};

TEST_P(ExportContractTest, ExportsEveryPatientsWholeRecordTheSettingsAndTheAuditLog) {
    const app::PatientId first = Register("MRN-1");
    const app::PatientId second = Register("MRN-2");
    app::PatientRecords& patients = clinic().patients;
    ASSERT_TRUE(clinic().settings.ChangeSetting(nurse_, "schedule.iv_induction_per_week", "3").ok());
    ASSERT_TRUE(patients.RecordWeight(nurse_, first, At(-60), 71.5, false, settings_).ok());
    ASSERT_TRUE(
        patients.RecordVitalSign(nurse_, BloodPressure(first, 128, 82, At(-30)), clinical::ClinicSettings{}).ok());
    const std::vector<int> phq9 = {1, 1, 1, 1, 1, 1, 1, 1, 0};
    ASSERT_TRUE(
        patients.RecordAssessment(nurse_, first, clinical::Instrument::kPhq9, phq9, At(-20), clinical::ClinicSettings{})
            .ok());
    ASSERT_TRUE(clinic().history.AddDiagnosis(nurse_, first, "F33.2").ok());
    const app::CourseRecord course = StartCourse(first);
    Result<app::Note> note = clinic().notes.Write(
        nurse_, first, app::NewNote{app::NoteKind::kPreparation, course.course.id, {}, "Set and setting."});
    ASSERT_TRUE(note.ok()) << note.error().ToString();
    app::NewAdverseEvent nausea;
    nausea.term = "nausea";
    nausea.grade = 1;
    nausea.onset_at = At(-10);
    nausea.actions = {clinical::AdverseEventAction::kNone};
    nausea.relatedness = clinical::Relatedness::kProbable;
    Result<app::AdverseEvent> event = clinic().adverse_events.Record(nurse_, first, nausea);
    ASSERT_TRUE(event.ok()) << event.error().ToString();
    const std::size_t audit_before = Audit().size();

    RecordingExportSink sink;
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_TRUE(summary.ok()) << summary.error().ToString();

    EXPECT_EQ(summary->patients, 2);
    ASSERT_EQ(sink.settings.size(), 1U);
    EXPECT_EQ(sink.settings[0].first, "schedule.iv_induction_per_week");
    EXPECT_EQ(sink.settings[0].second, "3");
    ASSERT_EQ(sink.patients.size(), 2U);
    const app::PatientRecordExport& exported = sink.patients[0];
    EXPECT_EQ(exported.patient.id, first);
    ASSERT_EQ(exported.weights.size(), 1U);
    EXPECT_DOUBLE_EQ(exported.weights[0].weight_kg, 71.5);
    ASSERT_EQ(exported.vital_signs.size(), 1U);
    EXPECT_DOUBLE_EQ(exported.vital_signs[0].value, 128);
    ASSERT_EQ(exported.assessments.size(), 1U);
    EXPECT_EQ(exported.assessments[0].total, 8);
    ASSERT_EQ(exported.history.size(), 1U);
    EXPECT_EQ(exported.history[0].value, "F33.2");
    ASSERT_EQ(exported.courses.size(), 1U);
    EXPECT_EQ(exported.sessions.size(), course.sessions.size());
    EXPECT_EQ(exported.session_transitions.size(), course.sessions.size());  // each created as scheduled
    ASSERT_EQ(exported.notes.size(), 1U);
    EXPECT_EQ(exported.notes[0].body, "Set and setting.");
    ASSERT_EQ(exported.adverse_events.size(), 1U);
    EXPECT_EQ(exported.adverse_events[0].term, "nausea");
    EXPECT_TRUE(exported.dose_orders.empty());
    EXPECT_EQ(sink.patients[1].patient.id, second);
    EXPECT_TRUE(sink.patients[1].vital_signs.empty());

    // The audit log as it stood when the snapshot was taken, then one entry per exported patient and one for the
    // export itself.
    EXPECT_EQ(sink.audit.size(), audit_before);
    EXPECT_EQ(summary->audit_entries, static_cast<std::int64_t>(audit_before));
    const std::vector<app::AuditEntry> after = Audit();
    ASSERT_EQ(after.size(), audit_before + 3);
    EXPECT_EQ(after[audit_before].action, "patient.export");
    EXPECT_EQ(after[audit_before].patient_id, first.value);
    EXPECT_EQ(after[audit_before + 1].patient_id, second.value);
    EXPECT_EQ(after[audit_before + 2].action, "record.export");
    EXPECT_EQ(after[audit_before + 2].actor, "cli:admin");
}

// Users are in the export (issue 15 §7), disabled ones too, with no secret: no password hash reaches the sink, and
// the NDJSON has a "user" line per user with none of it; the NDJSON also carries every kind of patient record the
// export reads (alerts, adverse events, notes, transitions and REMS forms included).
TEST_P(ExportContractTest, ExportsTheUsersWithoutAnySecret) {
    AddUser("nurse@clinic.example", app::Role::kNurse);
    AddUser("doctor@clinic.example", app::Role::kPrescriber);
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "nurse@clinic.example").ok());
    const app::PatientId patient = Register("MRN-1");
    StartCourse(patient);
    Result<app::Note> note = clinic().notes.Write(
        nurse_, patient, app::NewNote{app::NoteKind::kProgress, std::nullopt, {}, "Tolerated well."});
    ASSERT_TRUE(note.ok()) << note.error().ToString();

    RecordingExportSink sink;
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_TRUE(summary.ok()) << summary.error().ToString();
    EXPECT_EQ(summary->users, 2);
    ASSERT_EQ(sink.users.size(), 2U);
    EXPECT_EQ(sink.users[0].email, "nurse@clinic.example");
    EXPECT_TRUE(sink.users[0].disabled);
    EXPECT_EQ(sink.users[1].role, app::Role::kPrescriber);
    for (const app::User& user : sink.users) {
        EXPECT_TRUE(user.password_hash.empty()) << user.email;
    }

    std::map<std::string, int> types;
    for (const std::string& line : NdjsonLines()) {
        const nlohmann::json parsed = nlohmann::json::parse(line);
        ++types[parsed.at("type").get<std::string>()];
        if (parsed.at("type") == "user") {
            EXPECT_FALSE(parsed.at("record").contains("password_hash")) << line;
        }
        EXPECT_EQ(line.find("$argon2"), std::string::npos) << line;
    }
    EXPECT_EQ(types["user"], 2);
    EXPECT_EQ(types["note"], 1);
    EXPECT_GT(types["session_transition"], 0);
    EXPECT_GT(types["treatment_session"], 0);
}

TEST_P(ExportContractTest, AFailingSinkStopsTheExportAndWhatWasReadIsStillAudited) {
    const app::PatientId first = Register("MRN-1");
    const app::PatientId second = Register("MRN-2");
    Register("MRN-3");
    const std::size_t audit_before = Audit().size();

    RecordingExportSink sink(/*fail_at_patient=*/2);
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_FALSE(summary.ok());
    EXPECT_EQ(summary.error().message, "disk full");
    EXPECT_TRUE(sink.audit.empty());
    const std::vector<app::AuditEntry> after = Audit();
    // The second patient was read and handed over (the sink may have written part of it); the third never was.
    ASSERT_EQ(after.size(), audit_before + 3);
    EXPECT_EQ(after[audit_before].action, "patient.export");
    EXPECT_EQ(after[audit_before].patient_id, first.value);
    EXPECT_EQ(after[audit_before + 1].patient_id, second.value);
    EXPECT_EQ(after[audit_before + 2].action, "record.export");
}

// The clinic-wide records and the logs a clinic must keep are in the export too: the rooms (with their monitors) and
// closed days, each patient's appointments, missed inductions and questionnaire assignments, the devices with their
// whole device log (unassigned readings included), and the controlled-substance log's containers and entries (21
// CFR 1304.04: two years' retention goes with the clinic's data); each as an NDJSON line of its own type.
TEST_P(ExportContractTest, ExportsTheScheduleTheDeviceLogAndTheControlledSubstanceLog) {
    const app::PatientId patient = Register("MRN-1");
    const app::CourseRecord course = StartCourse(patient);
    ASSERT_FALSE(course.sessions.empty());
    Result<app::TreatmentRoom> chair =
        clinic().scheduling.CreateRoom(admin_, app::NewRoom{"Chair 1", clinical::RoomEquipment::kBoth, {"MON-1"}});
    ASSERT_TRUE(chair.ok()) << chair.error().ToString();
    const app::CsReceipt receipt{"ketamine_50mg_ml_10ml", "K2611-04", kCourseStart + std::chrono::days{365},
                                 "Acme Wholesale",        "INV-88121", "safe", 2};
    Result<std::vector<app::CsContainerStatus>> received = clinic().inventory.Receive(nurse_, receipt);
    ASSERT_TRUE(received.ok()) << received.error().ToString();
    ASSERT_TRUE(clinic().inventory.Transfer(nurse_, received->at(1).container.id, "crash cart").ok());

    const Status arranged = store().Write([&](app::StoreTransaction& tx) -> Status {
        RETURN_IF_ERROR(tx.InsertClosedDay(app::ClosedDay{kCourseStart + std::chrono::days{3}, "Thanksgiving", "test"}));
        app::Appointment appointment;
        appointment.patient = patient;
        appointment.type = clinical::AppointmentType::kIvSession;
        appointment.start = At(60);
        appointment.end = At(60 + 150 * 60);
        appointment.room = chair->id;
        appointment.staff = nurse_.user;
        appointment.session = course.sessions[0].id;
        appointment.status = clinical::AppointmentStatus::kNoShow;
        appointment.created_at = appointment.updated_at = At(0);
        appointment.created_by = appointment.updated_by = "test";
        ASSIGN_OR_RETURN(const app::AppointmentId booked, tx.InsertAppointment(appointment));
        RETURN_IF_ERROR(StatusOf(tx.InsertMissedInduction(app::MissedInduction{
            {}, course.course.id, course.sessions[0].id, booked, patient, clinical::AppointmentStatus::kNoShow,
            "no-show", At(60 * 60 * 3), "test"})));
        RETURN_IF_ERROR(StatusOf(tx.InsertQuestionnaireAssignment(app::QuestionnaireAssignment{
            {}, patient, clinical::Instrument::kPhq9, kCourseStart, 7, At(0), "test", std::nullopt, ""})));
        app::Device monitor;
        monitor.key = "MON-1";
        monitor.sending_application = "MON-1";
        monitor.first_seen_at = At(0);
        ASSIGN_OR_RETURN(const std::vector<app::DeviceId> saved, tx.SaveDevicesSeen(std::span(&monitor, 1)));
        const app::DeviceId device = saved.at(0);
        const app::DeviceMessageRecord message{device, "MSG-1", At(1)};
        RETURN_IF_ERROR(StatusOf(tx.InsertDeviceMessages(std::span(&message, 1))));
        app::DeviceReading reading;
        reading.device = device;
        reading.message_control_id = "MSG-1";
        reading.received_at = reading.observed_at = At(1);
        reading.loinc = "8867-4";
        reading.value = 72;
        reading.unit = "/min";
        reading.raw_code = "147842";
        reading.raw_system = "MDC";
        reading.raw_text = "MDC_ECG_HEART_RATE";
        reading.raw_value = "72";
        reading.raw_unit = "264864^MDC_DIM_BEAT_PER_MIN";
        const std::vector<app::DeviceReading> two_readings(2, reading);
        return StatusOf(tx.InsertDeviceReadings(two_readings));
    });
    ASSERT_TRUE(arranged.ok()) << arranged.error().ToString();

    RecordingExportSink sink;
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_TRUE(summary.ok()) << summary.error().ToString();
    ASSERT_EQ(sink.rooms.size(), 1U);
    EXPECT_EQ(sink.rooms[0].monitor_ids, std::vector<std::string>{"MON-1"});
    ASSERT_EQ(sink.closed_days.size(), 1U);
    EXPECT_EQ(sink.closed_days[0].reason, "Thanksgiving");
    ASSERT_EQ(sink.devices.size(), 1U);
    EXPECT_EQ(sink.devices[0].message_count, 1);
    EXPECT_EQ(summary->device_readings, 2);
    ASSERT_EQ(sink.device_readings.size(), 2U);
    EXPECT_LT(sink.device_readings[0].id.value, sink.device_readings[1].id.value);
    EXPECT_FALSE(sink.device_readings[0].patient.has_value());  // unassigned readings are exported as well
    ASSERT_EQ(sink.cs_containers.size(), 2U);
    EXPECT_EQ(sink.cs_containers[0].invoice, "INV-88121");
    ASSERT_EQ(sink.cs_entries.size(), 3U);  // two receipts, one transfer
    EXPECT_EQ(sink.cs_entries[2].kind, clinical::CsMovementKind::kTransfer);
    EXPECT_EQ(sink.cs_entries[2].location, "crash cart");
    ASSERT_EQ(sink.patients.size(), 1U);
    const app::PatientRecordExport& exported = sink.patients[0];
    ASSERT_EQ(exported.appointments.size(), 1U);
    EXPECT_EQ(exported.appointments[0].status, clinical::AppointmentStatus::kNoShow);
    ASSERT_EQ(exported.missed_inductions.size(), 1U);
    EXPECT_EQ(exported.missed_inductions[0].appointment, exported.appointments[0].id);
    ASSERT_EQ(exported.questionnaire_assignments.size(), 1U);
    EXPECT_EQ(exported.questionnaire_assignments[0].every_days, 7);

    std::map<std::string, int> types;
    for (const std::string& line : NdjsonLines()) {
        const nlohmann::json parsed = nlohmann::json::parse(line);
        ++types[parsed.at("type").get<std::string>()];
        if (parsed.at("type") == "cs_entry" && parsed.at("record").at("kind") == "transfer") {
            EXPECT_EQ(parsed.at("record").at("location"), "crash cart") << line;
        }
    }
    const std::map<std::string, int> expected = {
        {"treatment_room", 1}, {"closed_day", 1},       {"device", 1},           {"device_reading", 2},
        {"cs_container", 2},   {"cs_entry", 3},         {"appointment", 1},      {"missed_induction", 1},
        {"questionnaire_assignment", 1}};
    for (const auto& [type, count] : expected) {
        EXPECT_EQ(types[type], count) << type;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
