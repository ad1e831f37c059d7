#pragma once

// Use cases for clinical notes (preparation, dosing, integration, progress). The author writes a draft, edits it
// and signs it; signing locks the note for good, and anything learnt later is an addendum any clinician may append
// (shared/design.md §2: signed records are never edited in place). Like the other record use cases, each takes the
// acting user, checks its input, does all its work in one Store transaction and appends an audit entry for every
// read or write of patient data in that same transaction; a refusal writes nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// The most characters a note body or an addendum may hold.
inline constexpr std::size_t kMaxNoteLength = 20000;

struct NewNote {
    NoteKind kind = NoteKind::kProgress;
    std::optional<CourseId> course;    // a course of the same patient, if the note belongs to one
    std::optional<SessionId> session;  // a session of the same patient (and of `course` when both are given);
                                       // required for a dosing note
    std::string body;
};

class NoteRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    NoteRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Writes an unsigned draft authored by the actor, at version 1. Errors: kInvalidArgument "body" when blank, over
    // kMaxNoteLength characters, not valid UTF-8 or holding control characters other than newline and tab;
    // kInvalidArgument "session_id" for a dosing note without a session, or a session of another patient or
    // another course; kInvalidArgument "course_id" for a course of another patient; kNotFound for the patient, the
    // course or the session.
    Result<Note> Write(const Actor& actor, PatientId patient, const NewNote& note);
    // Edit, Sign and AddAddendum take `kinds`: when not empty, a note of another kind is refused kNotFound "note_id"
    // (the API reaches therapy and clinical notes through paths of their own, each with its permission).

    // Replaces a draft's body and bumps its version. Errors: kInvalidArgument "body" as Write; kNotFound;
    // kFailedPrecondition "note_id" when the note is signed; kPermissionDenied "author" when the actor is not its
    // author; kConflict "version" when `version` is not the stored version (the draft changed meanwhile).
    Result<Note> Edit(const Actor& actor, NoteId note, std::int64_t version, std::string_view body,
                      std::span<const NoteKind> kinds = {});
    // The author signs the note as it stands at `version`; from then on it never changes. Errors: kNotFound;
    // kFailedPrecondition "note_id" when it is already signed; kPermissionDenied "author" when the actor is not its
    // author; kConflict "version" when the note changed since the author read it.
    Result<Note> Sign(const Actor& actor, NoteId note, std::int64_t version, std::span<const NoteKind> kinds = {});
    // Appends an addendum, written now by the actor (any clinician), to a signed note. Errors: kInvalidArgument
    // "body" as Write; kNotFound; kFailedPrecondition "note_id" when the note is not signed (edit the draft).
    Result<NoteAddendum> AddAddendum(const Actor& actor, NoteId note, std::string_view body,
                                     std::span<const NoteKind> kinds = {});
    // The note with its addenda in the order they were written. kNotFound when no such note.
    Result<Note> Get(const Actor& actor, NoteId note);
    // A patient's notes, oldest first, each with its addenda; only those of `kind` when given. kNotFound when no
    // such patient.
    Result<std::vector<Note>> ListForPatient(const Actor& actor, PatientId patient,
                                             std::optional<NoteKind> kind = std::nullopt);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
