#include "app/note_records.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "app/free_text.hpp"
#include "app/record_names.hpp"

namespace kclinic::app {
namespace {

Status CheckBody(std::string_view body) {
    if (IsBlank(body)) {
        return InvalidArgument("body", "is required");
    }
    return CheckFreeText("body", body, kMaxNoteLength);
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
        Result<TreatmentCourse> course = tx.GetCourse(*note.course);
        if (!course.ok()) {
            return course.error();
        }
        if (course->patient != patient) {
            return InvalidArgument("course_id",
                                   "treatment course " + std::to_string(note.course->value) + " is another patient's");
        }
    }
    if (note.session) {
        Result<TreatmentSession> session = tx.GetSession(*note.session);
        if (!session.ok()) {
            return session.error();
        }
        if (session->patient != patient) {
            return InvalidArgument(
                "session_id", "treatment session " + std::to_string(note.session->value) + " is another patient's");
        }
        if (note.course && session->course != *note.course) {
            return InvalidArgument("session_id", "treatment session " + std::to_string(note.session->value) +
                                                     " is not in treatment course " +
                                                     std::to_string(note.course->value));
        }
    }
    return Status::Ok();
}

}  // namespace

Result<Note> NoteRecords::Write(const Actor& actor, PatientId patient, const NewNote& note) {
    if (Status body = CheckBody(note.body); !body.ok()) {
        return body.error();
    }
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
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        if (Status links = CheckLinks(tx, patient, note); !links.ok()) {
            return links;
        }
        Result<NoteId> id = tx.InsertNote(stored);
        if (!id.ok()) {
            return id.error();
        }
        stored.id = *id;
        return RecordAudit(tx, actor, now, "note.create", "note", id->value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return stored;
}

Result<Note> NoteRecords::Edit(const Actor& actor, NoteId note, std::int64_t version, std::string_view body,
                               std::span<const NoteKind> kinds) {
    if (Status valid = CheckBody(body); !valid.ok()) {
        return valid.error();
    }
    const TimePoint now = clock_.Now();
    std::optional<Note> edited;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<Note> current = tx.GetNote(note);
        if (!current.ok()) {
            return current.error();
        }
        if (Status kind = CheckKind(*current, kinds); !kind.ok()) {
            return kind;
        }
        if (current->signed_at) {
            return Signed(*current);
        }
        if (current->author != actor.user) {
            return NotTheAuthor(*current, "edit");
        }
        if (current->version != version) {
            return Stale(*current, version);
        }
        if (Status updated = tx.UpdateNoteBody(note, version, body, now); !updated.ok()) {
            return updated;
        }
        edited = std::move(current).value();
        edited->body = std::string(body);
        edited->updated_at = now;
        ++edited->version;
        return RecordAudit(tx, actor, now, "note.update", "note", note.value, edited->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*edited);
}

Result<Note> NoteRecords::Sign(const Actor& actor, NoteId note, std::int64_t version, std::span<const NoteKind> kinds) {
    const TimePoint now = clock_.Now();
    std::optional<Note> signed_note;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<Note> current = tx.GetNote(note);
        if (!current.ok()) {
            return current.error();
        }
        if (Status kind = CheckKind(*current, kinds); !kind.ok()) {
            return kind;
        }
        if (current->signed_at) {
            return Error{ErrorCode::kFailedPrecondition, "note_id",
                         "note " + std::to_string(note.value) + " is already signed by " + current->signed_by};
        }
        if (current->author != actor.user) {
            return NotTheAuthor(*current, "sign");
        }
        if (current->version != version) {
            return Stale(*current, version);
        }
        if (Status signed_now = tx.SignNote(note, version, now, actor.user); !signed_now.ok()) {
            return signed_now;
        }
        signed_note = std::move(current).value();
        signed_note->signed_at = now;
        signed_note->signed_by = actor.user;
        ++signed_note->version;
        return RecordAudit(tx, actor, now, "note.sign", "note", note.value, signed_note->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*signed_note);
}

Result<NoteAddendum> NoteRecords::AddAddendum(const Actor& actor, NoteId note, std::string_view body,
                                              std::span<const NoteKind> kinds) {
    if (Status valid = CheckBody(body); !valid.ok()) {
        return valid.error();
    }
    const TimePoint now = clock_.Now();
    NoteAddendum addendum{AddendumId{}, note, std::string(body), now, actor.user};
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<Note> current = tx.GetNote(note);
        if (!current.ok()) {
            return current.error();
        }
        if (Status kind = CheckKind(*current, kinds); !kind.ok()) {
            return kind;
        }
        if (!current->signed_at) {
            return Error{ErrorCode::kFailedPrecondition, "note_id",
                         "note " + std::to_string(note.value) +
                             " is a draft; addenda follow a signed note, and its author edits the draft instead"};
        }
        Result<AddendumId> id = tx.InsertNoteAddendum(addendum);
        if (!id.ok()) {
            return id.error();
        }
        addendum.id = *id;
        return RecordAudit(tx, actor, now, "note.addendum", "note_addendum", id->value, current->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return addendum;
}

Result<Note> NoteRecords::Get(const Actor& actor, NoteId note) {
    std::optional<Note> found;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<Note> stored = tx.GetNote(note);
        if (!stored.ok()) {
            return stored.error();
        }
        found = std::move(stored).value();
        return RecordAudit(tx, actor, clock_.Now(), "note.read", "note", note.value, found->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*found);
}

Result<std::vector<Note>> NoteRecords::ListForPatient(const Actor& actor, PatientId patient,
                                                      std::optional<NoteKind> kind) {
    std::vector<Note> notes;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        Result<std::vector<Note>> listed = tx.ListNotes(patient, kind);
        if (!listed.ok()) {
            return listed.error();
        }
        notes = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "note.list", "patient", patient.value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return notes;
}

}  // namespace kclinic::app
