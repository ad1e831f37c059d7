#include "adapters/json/ndjson_export.hpp"

#include <map>

#include "adapters/json/device_json.hpp"
#include "adapters/json/inventory_json.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/json/standing_order_json.hpp"

namespace kclinic::adapters::json {
namespace {

// One line: {"type": ..., "record": {...}}. The record is nested rather than merged so that no field of a record
// (an audit entry has its own record_type) can collide with the line's type. A failed stream (disk full, closed pipe)
// stops the export with an error rather than producing a file that looks complete.
Status WriteLine(std::ostream& out, std::string_view type, Json record) {
    out << Json{{"type", type}, {"record", std::move(record)}}.dump() << '\n';
    if (!out) {
        return Error{ErrorCode::kUnavailable, "out", "could not write the export"};
    }
    return Status::Ok();
}

template <typename T>
Status WriteAll(std::ostream& out, std::string_view type, const std::vector<T>& records) {
    for (const T& record : records) {
        RETURN_IF_ERROR(WriteLine(out, type, ToJson(record)));
    }
    return Status::Ok();
}

}  // namespace

NdjsonExportSink::NdjsonExportSink(std::ostream& out, std::string_view backend, app::TimePoint exported_at)
    : out_(out) {
    Json header{{"format", "kclinic-ndjson"},
                {"format_version", kNdjsonExportFormatVersion},
                {"backend", backend},
                {"exported_at", FormatTime(exported_at)}};
    // A failure here surfaces at the first record written, through the same stream state.
    (void)WriteLine(out_, "export", std::move(header));
}

Status NdjsonExportSink::Settings(const std::vector<std::pair<std::string, std::string>>& overrides) {
    for (const auto& [name, value] : overrides) {
        RETURN_IF_ERROR(WriteLine(out_, "setting", Json{{"name", name}, {"value", value}}));
    }
    return Status::Ok();
}

Status NdjsonExportSink::Users(const std::vector<app::User>& users) {
    return WriteAll(out_, "user", users);  // ToJson(User) writes no password hash
}

Status NdjsonExportSink::Patient(const app::PatientRecordExport& record) {
    RETURN_IF_ERROR(WriteLine(out_, "patient", ToJson(record.patient)));
    RETURN_IF_ERROR(WriteAll(out_, "weight", record.weights));
    RETURN_IF_ERROR(WriteAll(out_, "history_entry", record.history));
    RETURN_IF_ERROR(WriteAll(out_, "antidepressant_trial", record.trials));
    RETURN_IF_ERROR(WriteAll(out_, "screening", record.screenings));
    RETURN_IF_ERROR(WriteAll(out_, "vital_sign", record.vital_signs));
    RETURN_IF_ERROR(WriteAll(out_, "assessment", record.assessments));
    RETURN_IF_ERROR(WriteAll(out_, "treatment_course", record.courses));
    RETURN_IF_ERROR(WriteAll(out_, "treatment_session", record.sessions));
    RETURN_IF_ERROR(WriteAll(out_, "session_transition", record.session_transitions));
    RETURN_IF_ERROR(WriteAll(out_, "dose_order", record.dose_orders));
    RETURN_IF_ERROR(WriteAll(out_, "administration", record.administrations));
    RETURN_IF_ERROR(WriteAll(out_, "session_medication", record.session_medications));
    RETURN_IF_ERROR(WriteAll(out_, "one_off_order", record.one_off_orders));
    RETURN_IF_ERROR(WriteAll(out_, "prn_dose", record.prn_doses));
    RETURN_IF_ERROR(WriteAll(out_, "alert", record.alerts));
    RETURN_IF_ERROR(WriteAll(out_, "adverse_event", record.adverse_events));
    RETURN_IF_ERROR(WriteAll(out_, "note", record.notes));
    RETURN_IF_ERROR(WriteAll(out_, "rems_form", record.rems_forms));
    RETURN_IF_ERROR(WriteAll(out_, "appointment", record.appointments));
    RETURN_IF_ERROR(WriteAll(out_, "missed_induction", record.missed_inductions));
    return WriteAll(out_, "questionnaire_assignment", record.questionnaire_assignments);
}

Status NdjsonExportSink::Schedule(const std::vector<app::TreatmentRoom>& rooms,
                                  const std::vector<app::ClosedDay>& closed_days) {
    RETURN_IF_ERROR(WriteAll(out_, "treatment_room", rooms));
    return WriteAll(out_, "closed_day", closed_days);
}

Status NdjsonExportSink::Devices(const std::vector<app::Device>& devices) {
    return WriteAll(out_, "device", devices);
}

Status NdjsonExportSink::ControlledSubstances(const std::vector<app::CsContainer>& containers,
                                              const std::vector<app::CsEntry>& entries) {
    std::map<std::int64_t, const app::CsContainer*> by_id;
    for (const app::CsContainer& container : containers) {
        RETURN_IF_ERROR(WriteLine(out_, "cs_container", ToJson(container)));
        by_id[container.id.value] = &container;
    }
    for (const app::CsEntry& entry : entries) {
        // Every entry's container is among them: they were read in one snapshot and containers are never deleted.
        const auto container = by_id.find(entry.container.value);
        if (container == by_id.end()) {
            return Error{ErrorCode::kInternal, "cs_entry",
                         "entry " + std::to_string(entry.id.value) + " names a container that was not read"};
        }
        RETURN_IF_ERROR(WriteLine(out_, "cs_entry", ToJson(entry, *container->second)));
    }
    return Status::Ok();
}

Status NdjsonExportSink::DeviceLog(const app::DeviceReading& reading) {
    return WriteLine(out_, "device_reading", ToJson(reading));
}

Status NdjsonExportSink::StandingOrderSets(const std::vector<app::StandingOrderSet>& sets) {
    return WriteAll(out_, "standing_order_set", sets);
}

Status NdjsonExportSink::CountDiscrepancies(const std::vector<app::CsDiscrepancy>& discrepancies) {
    return WriteAll(out_, "count_discrepancy", discrepancies);
}

Status NdjsonExportSink::Audit(const app::AuditEntry& entry) {
    return WriteLine(out_, "audit_entry", ToJson(entry));
}

}  // namespace kclinic::adapters::json
