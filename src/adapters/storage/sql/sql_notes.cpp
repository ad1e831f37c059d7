// Clinical notes and their addenda over SqlConnection; schema in migrations/0005_adverse_events_and_notes.sql,
// whose triggers keep a signed note unchanged and addenda append-only whatever the caller does.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

constexpr std::string_view kNoteColumns =
    "id, patient_id, course_id, session_id, kind, body, author, created_at, updated_at, version, signed_at, "
    "signed_by";

Result<app::Note> NoteFromRow(const SqlRow& row) {
    RowReader read(row);
    app::Note note;
    note.id = app::NoteId{read.Int(0)};
    note.patient = app::PatientId{read.Int(1)};
    if (!read.IsNull(2)) {
        note.course = app::CourseId{read.Int(2)};
    }
    if (!read.IsNull(3)) {
        note.session = app::SessionId{read.Int(3)};
    }
    Result<app::NoteKind> kind = app::ParseNoteKind(read.Text(4));
    note.body = read.Text(5);
    note.author = read.Text(6);
    note.created_at = FromMillis(read.Int(7));
    note.updated_at = FromMillis(read.Int(8));
    note.version = read.Int(9);
    if (!read.IsNull(10)) {
        note.signed_at = FromMillis(read.Int(10));
        note.signed_by = read.Text(11);
    }
    if (!read.ok() || !kind.ok()) {
        return Corrupt("notes");
    }
    note.kind = *kind;
    return note;
}

constexpr std::string_view kAddendumColumns = "id, note_id, body, written_at, written_by";

Result<app::NoteAddendum> AddendumFromRow(const SqlRow& row) {
    RowReader read(row);
    app::NoteAddendum addendum{app::AddendumId{read.Int(0)}, app::NoteId{read.Int(1)}, read.Text(2),
                               FromMillis(read.Int(3)), read.Text(4)};
    if (!read.ok()) {
        return Corrupt("note_addenda");
    }
    return addendum;
}

}  // namespace

Result<app::NoteId> SqlTransaction::InsertNote(const app::Note& note) {
    const std::vector<SqlValue> params = {note.patient.value,
                                          note.course ? SqlValue{note.course->value} : SqlValue{},
                                          note.session ? SqlValue{note.session->value} : SqlValue{},
                                          std::string(app::NoteKindName(note.kind)),
                                          note.body,
                                          note.author,
                                          Millis(note.created_at),
                                          Millis(note.updated_at)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO notes (patient_id, course_id, session_id, kind, body, author, "
                                       "created_at, updated_at, version) "
                                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id",
                                       params));
    return app::NoteId{InsertedId(rows)};
}

Result<app::Note> SqlTransaction::GetNote(app::NoteId id) {
    const std::vector<SqlValue> params = {id.value};
    ASSIGN_OR_RETURN(
        app::Note found,
        QueryOne(connection_, "SELECT " + std::string(kNoteColumns) + " FROM notes WHERE id = $1", params, NoteFromRow,
                 Error{ErrorCode::kNotFound, "note_id", "no note with id " + std::to_string(id.value)}));
    ASSIGN_OR_RETURN(std::vector<app::NoteAddendum> addenda,
                     QueryRows<app::NoteAddendum>(connection_,
                                                  "SELECT " + std::string(kAddendumColumns) +
                                                      " FROM note_addenda WHERE note_id = $1 ORDER BY written_at, id",
                                                  params, AddendumFromRow));
    found.addenda = std::move(addenda);
    return found;
}

Result<std::vector<app::Note>> SqlTransaction::ListNotes(app::PatientId patient, std::optional<app::NoteKind> kind) {
    std::vector<SqlValue> params = {patient.value};
    std::string query = "SELECT " + std::string(kNoteColumns) + " FROM notes WHERE patient_id = $1";
    if (kind) {
        params.emplace_back(std::string(app::NoteKindName(*kind)));
        query += " AND kind = $2";
    }
    ASSIGN_OR_RETURN(std::vector<app::Note> notes,
                     QueryRows<app::Note>(connection_, query + " ORDER BY created_at, id", params, NoteFromRow));
    // Every addendum of the patient's notes in one query, handed to its note.
    ASSIGN_OR_RETURN(std::vector<app::NoteAddendum> addenda,
                     QueryRows<app::NoteAddendum>(
                         connection_,
                         "SELECT a.id, a.note_id, a.body, a.written_at, a.written_by FROM note_addenda a "
                         "JOIN notes n ON n.id = a.note_id WHERE n.patient_id = $1 ORDER BY a.written_at, a.id",
                         {patient.value}, AddendumFromRow));
    std::map<std::int64_t, app::Note*> by_id;
    for (app::Note& note : notes) {
        by_id.emplace(note.id.value, &note);
    }
    for (app::NoteAddendum& addendum : std::move(addenda)) {
        if (auto found = by_id.find(addendum.note.value); found != by_id.end()) {
            found->second->addenda.push_back(std::move(addendum));
        }
    }
    return notes;
}

Status SqlTransaction::UpdateNoteBody(app::NoteId id, std::int64_t expected_version, std::string_view body,
                                      app::TimePoint updated_at) {
    const std::vector<SqlValue> params = {id.value, expected_version, std::string(body), Millis(updated_at)};
    // Only an unsigned row at the expected version matches, so neither a signed note nor a concurrent edit is
    // overwritten.
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE notes SET body = $3, updated_at = $4, version = version + 1 "
                                       "WHERE id = $1 AND version = $2 AND signed_at IS NULL RETURNING id",
                                       params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::Note current, GetNote(id));
    if (current.signed_at) {
        return Error{ErrorCode::kFailedPrecondition, "note_id",
                     "note " + std::to_string(id.value) + " is signed by " + current.signed_by +
                         "; a signed note is never edited"};
    }
    return Error{ErrorCode::kConflict, "version",
                 "note " + std::to_string(id.value) + " was changed by someone else (version " +
                     std::to_string(current.version) + ", not " + std::to_string(expected_version) + ")"};
}

Status SqlTransaction::SignNote(app::NoteId id, std::int64_t expected_version, app::TimePoint signed_at,
                                std::string_view signed_by) {
    const std::vector<SqlValue> params = {id.value, expected_version, Millis(signed_at), std::string(signed_by)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE notes SET signed_at = $3, signed_by = $4, version = version + 1 "
                                       "WHERE id = $1 AND version = $2 AND signed_at IS NULL RETURNING id",
                                       params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::Note current, GetNote(id));
    if (current.signed_at) {
        return Error{ErrorCode::kFailedPrecondition, "note_id",
                     "note " + std::to_string(id.value) + " is already signed by " + current.signed_by};
    }
    return Error{ErrorCode::kConflict, "version",
                 "note " + std::to_string(id.value) + " was changed by someone else (version " +
                     std::to_string(current.version) + ", not " + std::to_string(expected_version) + ")"};
}

Result<app::AddendumId> SqlTransaction::InsertNoteAddendum(const app::NoteAddendum& addendum) {
    const std::vector<SqlValue> params = {addendum.note.value, addendum.body, Millis(addendum.written_at),
                                          addendum.written_by};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO note_addenda (note_id, body, written_at, written_by) VALUES ($1, $2, $3, $4) RETURNING id",
            params));
    return app::AddendumId{InsertedId(rows)};
}

}  // namespace kclinic::adapters::storage::sql
