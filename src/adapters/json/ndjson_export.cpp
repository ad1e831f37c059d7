#include "adapters/json/ndjson_export.hpp"

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
    return WriteAll(out_, "rems_form", record.rems_forms);
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
