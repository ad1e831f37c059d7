#include "app/note_records.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"

namespace kclinic::app {
namespace {

Status CheckBody(std::string_view body) {
    return CheckText("body", body, {.max_characters = kMaxNoteLength, .multiline = true});
}

Error Signed(const Note& note) {
    return Error{ErrorCode::kFailedPrecondition, "note_id",
                 "note " + std::to_string(note.id.value) + " was signed by " + note.signed_by +
                     "; a signed note is never edited: add an addendum"};
}

Error NotTheAuthor(const Note& note, std::string_view action) {
    return Error{
        ErrorCode::kPermissionDenied, "author",
        "only the author (" + note.author + ") may " + std::string(action) + " note " + std::to_string(note.id.value)};
}

Error Stale(const Note& note, std::int64_t version) {
    return Error{ErrorCode::kConflict, "version",
                 "note " + std::to_string(note.id.value) + " is at version " + std::to_string(note.version) + ", not " +
                     std::to_string(version) + "; it changed meanwhile"};
}

// A note reached through a path of one family of kinds (the API's therapy-notes and clinical-notes, which need
// different permissions) must be of that family; to that path any other note does not exist.
Status CheckKind(const Note& note, std::span<const NoteKind> kinds) {
    if (kinds.empty() || std::find(kinds.begin(), kinds.end(), note.kind) != kinds.end()) {
        return Status::Ok();
    }
    return Error{ErrorCode::kNotFound, "note_id",
                 "note " + std::to_string(note.id.value) + " is a " + std::string(NoteKindName(note.kind)) +
                     " note, which is not written here"};
}

// The course and session a note links to must be the patient's own, and agree with each other.
Status CheckLinks(StoreTransaction& tx, PatientId patient, const NewNote& note) {
    if (note.course) {
        ASSIGN_OR_RETURN(TreatmentCourse course, tx.GetCourse(*note.course));
        if (course.patient != patient) {
            return InvalidArgument("course_id",
                                   "treatment course " + std::to_string(note.course->value) + " is another patient's");
        }
    }
    if (note.session) {
        ASSIGN_OR_RETURN(TreatmentSession session, tx.GetSession(*note.session));
        if (session.patient != patient) {
            return InvalidArgument(
                "session_id", "treatment session " + std::to_string(note.session->value) + " is another patient's");
        }
        if (note.course && session.course != *note.course) {
            return InvalidArgument("session_id", "treatment session " + std::to_string(note.session->value) +
                                                     " is not in treatment course " +
                                                     std::to_string(note.course->value));
        }
    }
    return Status::Ok();
}

}  // namespace

Result<Note> NoteRecords::Write(const Actor& actor, PatientId patient, const NewNote& note) {
    RETURN_IF_ERROR(CheckBody(note.body));
    // A dosing note documents one treatment session, so it names it.
    if (note.kind == NoteKind::kDosing && !note.session) {
        return InvalidArgument("session_id", "is required for a dosing note");
    }
    const TimePoint now = clock_.Now();
    Note stored;
    stored.patient = patient;
    stored.course = note.course;
    stored.session = note.session;
    stored.kind = note.kind;
    stored.body = note.body;
    stored.author = actor.user;
    stored.created_at = now;
    stored.updated_at = now;
    return store_.Write([&](StoreTransaction& tx) -> Result<Note> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        RETURN_IF_ERROR(CheckLinks(tx, patient, note));
        ASSIGN_OR_RETURN(stored.id, tx.InsertNote(stored));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "note.create", "note", stored.id.value, patient.value));
        return stored;
    });
}

Result<Note> NoteRecords::Edit(const Actor& actor, NoteId note, std::int64_t version, std::string_view body,
                               std::span<const NoteKind> kinds) {
    RETURN_IF_ERROR(CheckBody(body));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Note> {
        ASSIGN_OR_RETURN(Note current, tx.GetNote(note));
        RETURN_IF_ERROR(CheckKind(current, kinds));
        if (current.signed_at) {
            return Signed(current);
        }
        if (current.author != actor.user) {
            return NotTheAuthor(current, "edit");
        }
        if (current.version != version) {
            return Stale(current, version);
        }
        RETURN_IF_ERROR(tx.UpdateNoteBody(note, version, body, now));
        current.body = std::string(body);
        current.updated_at = now;
        ++current.version;
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "note.update", "note", note.value, current.patient.value));
        return current;
    });
}

Result<Note> NoteRecords::Sign(const Actor& actor, NoteId note, std::int64_t version, std::span<const NoteKind> kinds) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Note> {
        ASSIGN_OR_RETURN(Note current, tx.GetNote(note));
        RETURN_IF_ERROR(CheckKind(current, kinds));
        if (current.signed_at) {
            return Error{ErrorCode::kFailedPrecondition, "note_id",
                         "note " + std::to_string(note.value) + " is already signed by " + current.signed_by};
        }
        if (current.author != actor.user) {
            return NotTheAuthor(current, "sign");
        }
        if (current.version != version) {
            return Stale(current, version);
        }
        RETURN_IF_ERROR(tx.SignNote(note, version, now, actor.user));
        current.signed_at = now;
        current.signed_by = actor.user;
        ++current.version;
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "note.sign", "note", note.value, current.patient.value));
        return current;
    });
}

Result<NoteAddendum> NoteRecords::AddAddendum(const Actor& actor, NoteId note, std::string_view body,
                                              std::span<const NoteKind> kinds) {
    RETURN_IF_ERROR(CheckBody(body));
    const TimePoint now = clock_.Now();
    NoteAddendum addendum{AddendumId{}, note, std::string(body), now, actor.user};
    return store_.Write([&](StoreTransaction& tx) -> Result<NoteAddendum> {
        ASSIGN_OR_RETURN(Note current, tx.GetNote(note));
        RETURN_IF_ERROR(CheckKind(current, kinds));
        if (!current.signed_at) {
            return Error{ErrorCode::kFailedPrecondition, "note_id",
                         "note " + std::to_string(note.value) +
                             " is a draft; addenda follow a signed note, and its author edits the draft instead"};
        }
        ASSIGN_OR_RETURN(addendum.id, tx.InsertNoteAddendum(addendum));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "note.addendum", "note_addendum", addendum.id.value, current.patient.value));
        return addendum;
    });
}

Result<Note> NoteRecords::Get(const Actor& actor, NoteId note) {
    return store_.Write([&](StoreTransaction& tx) -> Result<Note> {
        ASSIGN_OR_RETURN(Note stored, tx.GetNote(note));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "note.read", "note", note.value, stored.patient.value));
        return stored;
    });
}

Result<std::vector<Note>> NoteRecords::ListForPatient(const Actor& actor, PatientId patient,
                                                      std::optional<NoteKind> kind) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<Note>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<Note> notes, tx.ListNotes(patient, kind));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "note.list", "patient", patient.value, patient.value));
        return notes;
    });
}

}  // namespace kclinic::app
