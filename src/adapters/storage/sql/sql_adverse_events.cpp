// Adverse events over SqlConnection; schema in migrations/0005_adverse_events_and_notes.sql.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

// Actions and serious criteria are sets, stored one 0/1 column each and named after their stable names
// ("action_prn_drug_given", "serious_death"), so the schema's CHECK constraints can relate them to the grade and
// the outcome. In enum order: actions, then criteria, as AppendFlags fills them.
std::vector<std::string> FlagColumns() {
    std::vector<std::string> columns;
    for (clinical::AdverseEventAction action : clinical::AllAdverseEventActions()) {
        columns.push_back("action_" + std::string(clinical::AdverseEventActionName(action)));
    }
    for (clinical::SeriousCriterion criterion : clinical::AllSeriousCriteria()) {
        columns.push_back("serious_" + std::string(clinical::SeriousCriterionName(criterion)));
    }
    return columns;
}

void AppendFlags(const app::AdverseEvent& event, std::vector<SqlValue>& params) {
    for (clinical::AdverseEventAction action : clinical::AllAdverseEventActions()) {
        const bool taken = std::find(event.actions.begin(), event.actions.end(), action) != event.actions.end();
        params.emplace_back(std::int64_t{taken ? 1 : 0});
    }
    for (clinical::SeriousCriterion criterion : clinical::AllSeriousCriteria()) {
        const bool met = std::find(event.serious_criteria.begin(), event.serious_criteria.end(), criterion) !=
                         event.serious_criteria.end();
        params.emplace_back(std::int64_t{met ? 1 : 0});
    }
}

// "$first, $first+1, ..., $first+count-1".
std::string Placeholders(std::size_t first, std::size_t count) {
    std::string text;
    for (std::size_t i = first; i < first + count; ++i) {
        text += (text.empty() ? "$" : ", $") + std::to_string(i);
    }
    return text;
}

constexpr std::string_view kFixedColumns =
    "patient_id, session_id, term, detail, grade, onset_at, resolved_at, outcome, relatedness, version, "
    "recorded_at, recorded_by, updated_at, updated_by";

// Every column but id, in the order InsertAdverseEvent binds them.
const std::string& InsertColumns() {
    static const std::string columns = [] {
        std::string text(kFixedColumns);
        for (const std::string& flag : FlagColumns()) {
            text += ", " + flag;
        }
        return text;
    }();
    return columns;
}

// id, then InsertColumns(): the order EventFromRow reads.
const std::string& EventColumns() {
    static const std::string columns = "id, " + InsertColumns();
    return columns;
}

// The index of the first flag column in EventColumns().
constexpr std::size_t kFirstFlagColumn = 15;

Result<app::AdverseEvent> EventFromRow(const SqlRow& row) {
    RowReader read(row);
    app::AdverseEvent event;
    event.id = app::AdverseEventId{read.Int(0)};
    event.patient = app::PatientId{read.Int(1)};
    if (!read.IsNull(2)) {
        event.session = app::SessionId{read.Int(2)};
    }
    event.term = read.Text(3);
    event.detail = read.Text(4);
    event.grade = static_cast<int>(read.Int(5));
    event.onset_at = FromMillis(read.Int(6));
    if (!read.IsNull(7)) {
        event.resolved_at = FromMillis(read.Int(7));
    }
    Result<clinical::AdverseEventOutcome> outcome = clinical::ParseAdverseEventOutcome(read.Text(8));
    Result<clinical::Relatedness> relatedness = clinical::ParseRelatedness(read.Text(9));
    event.version = read.Int(10);
    event.recorded_at = FromMillis(read.Int(11));
    event.recorded_by = read.Text(12);
    event.updated_at = FromMillis(read.Int(13));
    event.updated_by = read.Text(14);
    std::size_t column = kFirstFlagColumn;
    for (clinical::AdverseEventAction action : clinical::AllAdverseEventActions()) {
        if (read.Bool(column++)) {
            event.actions.push_back(action);
        }
    }
    for (clinical::SeriousCriterion criterion : clinical::AllSeriousCriteria()) {
        if (read.Bool(column++)) {
            event.serious_criteria.push_back(criterion);
        }
    }
    if (!read.ok() || !outcome.ok() || !relatedness.ok()) {
        return Corrupt("adverse_events");
    }
    event.outcome = *outcome;
    event.relatedness = *relatedness;
    return event;
}

}  // namespace

Result<app::AdverseEventId> SqlTransaction::InsertAdverseEvent(const app::AdverseEvent& event) {
    std::vector<SqlValue> params = {event.patient.value,
                                    event.session ? SqlValue{event.session->value} : SqlValue{},
                                    event.term,
                                    event.detail,
                                    std::int64_t{event.grade},
                                    Millis(event.onset_at),
                                    event.resolved_at ? SqlValue{Millis(*event.resolved_at)} : SqlValue{},
                                    std::string(clinical::AdverseEventOutcomeName(event.outcome)),
                                    std::string(clinical::RelatednessName(event.relatedness)),
                                    event.version,
                                    Millis(event.recorded_at),
                                    event.recorded_by,
                                    Millis(event.updated_at),
                                    event.updated_by};
    AppendFlags(event, params);
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO adverse_events (" + InsertColumns() + ") VALUES (" +
                                           Placeholders(1, params.size()) + ") RETURNING id",
                                       params));
    return app::AdverseEventId{InsertedId(rows)};
}

Result<app::AdverseEvent> SqlTransaction::GetAdverseEvent(app::AdverseEventId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(
        connection_, "SELECT " + EventColumns() + " FROM adverse_events WHERE id = $1", params, EventFromRow,
        Error{ErrorCode::kNotFound, "adverse_event_id", "no adverse event with id " + std::to_string(id.value)});
}

Status SqlTransaction::UpdateAdverseEvent(const app::AdverseEvent& event) {
    std::vector<SqlValue> params = {event.id.value,
                                    event.version,
                                    event.detail,
                                    std::int64_t{event.grade},
                                    event.resolved_at ? SqlValue{Millis(*event.resolved_at)} : SqlValue{},
                                    std::string(clinical::AdverseEventOutcomeName(event.outcome)),
                                    std::string(clinical::RelatednessName(event.relatedness)),
                                    Millis(event.updated_at),
                                    event.updated_by};
    std::string assignments =
        "detail = $3, grade = $4, resolved_at = $5, outcome = $6, relatedness = $7, updated_at = $8, updated_by = $9";
    std::size_t number = params.size();
    for (const std::string& flag : FlagColumns()) {
        assignments += ", " + flag + " = $" + std::to_string(++number);
    }
    AppendFlags(event, params);  // in FlagColumns() order, from $10
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE adverse_events SET " + assignments +
                                           ", version = version + 1 WHERE id = $1 AND version = $2 "
                                           "RETURNING id",
                                       params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::AdverseEvent current, GetAdverseEvent(event.id));
    return Error{ErrorCode::kConflict, "version",
                 "adverse event " + std::to_string(event.id.value) + " was changed by someone else (version " +
                     std::to_string(current.version) + ", not " + std::to_string(event.version) + ")"};
}

Result<std::vector<app::AdverseEvent>> SqlTransaction::ListAdverseEvents(app::PatientId patient) {
    return QueryRows<app::AdverseEvent>(
        connection_, "SELECT " + EventColumns() + " FROM adverse_events WHERE patient_id = $1 ORDER BY onset_at, id",
        {patient.value}, EventFromRow);
}

Result<std::vector<app::AdverseEvent>> SqlTransaction::ListSessionAdverseEvents(app::SessionId session) {
    return QueryRows<app::AdverseEvent>(
        connection_, "SELECT " + EventColumns() + " FROM adverse_events WHERE session_id = $1 ORDER BY onset_at, id",
        {session.value}, EventFromRow);
}

}  // namespace kclinic::adapters::storage::sql
