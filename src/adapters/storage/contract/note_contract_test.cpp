// The storage contract for clinical notes and their addenda: every case runs against a real SQLite file and a real
// PostgreSQL server, through the app layer's use cases, as in store_contract_test.cpp. Every refusal is checked to
// write nothing, and the database's own locks (triggers) are checked on a connection of their own.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::CourseId;
using app::Note;
using app::NoteId;
using app::NoteKind;
using app::PatientId;
using app::SessionId;

class NoteContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-N");
        const app::CourseRecord course = StartCourse(patient_);
        course_ = course.course.id;
        session_ = course.sessions.at(0).id;
    }

    Note WriteDraft(const Actor& author, NoteKind kind = NoteKind::kProgress, const std::string& body = "Mood 6/10") {
        Result<Note> written =
            clinic().notes.Write(author, patient_, app::NewNote{kind, std::nullopt, std::nullopt, body});
        EXPECT_TRUE(written.ok()) << written.error().ToString();
        return written.ok() ? *written : Note{};
    }

    Note WriteSigned(const Actor& author) {
        const Note draft = WriteDraft(author);
        Result<Note> signed_note = clinic().notes.Sign(author, draft.id, draft.version);
        EXPECT_TRUE(signed_note.ok()) << signed_note.error().ToString();
        return signed_note.ok() ? *signed_note : Note{};
    }

    // The audit actions about notes, oldest first.
    std::vector<std::string> NoteAuditActions() {
        std::vector<std::string> actions;
        for (const std::string& action : AuditActions()) {
            if (action.starts_with("note.")) {
                actions.push_back(action);
            }
        }
        return actions;
    }

    // Every stored note of `patient` with its addenda, read without an audit entry.
    std::vector<Note> Stored(PatientId patient) {
        std::vector<Note> notes;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::vector<Note>> listed = tx.ListNotes(patient, std::nullopt);
            if (!listed.ok()) {
                return listed.error();
            }
            notes = std::move(listed).value();
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return notes;
    }

    static void ExpectSameNote(const Note& actual, const Note& expected) {
        EXPECT_EQ(actual.id, expected.id);
        EXPECT_EQ(actual.patient, expected.patient);
        EXPECT_EQ(actual.course, expected.course);
        EXPECT_EQ(actual.session, expected.session);
        EXPECT_EQ(actual.kind, expected.kind);
        EXPECT_EQ(actual.body, expected.body);
        EXPECT_EQ(actual.author, expected.author);
        EXPECT_EQ(actual.created_at, expected.created_at);
        EXPECT_EQ(actual.updated_at, expected.updated_at);
        EXPECT_EQ(actual.version, expected.version);
        EXPECT_EQ(actual.signed_at, expected.signed_at);
        EXPECT_EQ(actual.signed_by, expected.signed_by);
        ASSERT_EQ(actual.addenda.size(), expected.addenda.size());
        for (std::size_t i = 0; i < actual.addenda.size(); ++i) {
            EXPECT_EQ(actual.addenda[i].id, expected.addenda[i].id);
            EXPECT_EQ(actual.addenda[i].note, expected.addenda[i].note);
            EXPECT_EQ(actual.addenda[i].body, expected.addenda[i].body);
            EXPECT_EQ(actual.addenda[i].written_at, expected.addenda[i].written_at);
            EXPECT_EQ(actual.addenda[i].written_by, expected.addenda[i].written_by);
        }
    }

    // Runs `refused`, expects `code` on `field`, and checks that no note or addendum changed and no audit entry
    // was written.
    void ExpectRefusedWritingNothing(const std::function<Status()>& refused, ErrorCode code, const std::string& field) {
        const std::vector<Note> before = Stored(patient_);
        const std::size_t audit_before = AuditActions().size();
        Status status = refused();
        ASSERT_TRUE(IsRefusal(status, code, field));
        const std::vector<Note> after = Stored(patient_);
        ASSERT_EQ(after.size(), before.size());
        for (std::size_t i = 0; i < after.size(); ++i) {
            ExpectSameNote(after[i], before[i]);
        }
        EXPECT_EQ(AuditActions().size(), audit_before);
    }

    const Actor therapist_{"therapist@clinic.example", "10.0.0.9"};
    PatientId patient_;
    CourseId course_;
    SessionId session_;
};

TEST_P(NoteContractTest, AuthorWritesEditsAndSignsThenAnyClinicianAddsAddenda) {
    Result<Note> draft = clinic().notes.Write(
        therapist_, patient_,
        app::NewNote{NoteKind::kIntegration, course_, session_, "Integration session 1.\n\tThemes: grief, relief."});
    ASSERT_TRUE(draft.ok()) << draft.error().ToString();
    EXPECT_EQ(draft->patient, patient_);
    EXPECT_EQ(draft->course, course_);
    EXPECT_EQ(draft->session, session_);
    EXPECT_EQ(draft->kind, NoteKind::kIntegration);
    EXPECT_EQ(draft->author, "therapist@clinic.example");
    EXPECT_EQ(draft->created_at, At(0));
    EXPECT_EQ(draft->updated_at, At(0));
    EXPECT_EQ(draft->version, 1);
    EXPECT_FALSE(draft->signed_at.has_value());
    EXPECT_TRUE(draft->signed_by.empty());

    Result<Note> edited = clinic().notes.Edit(therapist_, draft->id, 1, "Integration session 1.\nThemes: grief.");
    ASSERT_TRUE(edited.ok()) << edited.error().ToString();
    EXPECT_EQ(edited->body, "Integration session 1.\nThemes: grief.");
    EXPECT_EQ(edited->version, 2);

    Result<Note> signed_note = clinic().notes.Sign(therapist_, draft->id, 2);
    ASSERT_TRUE(signed_note.ok()) << signed_note.error().ToString();
    EXPECT_EQ(signed_note->signed_at, At(0));
    EXPECT_EQ(signed_note->signed_by, "therapist@clinic.example");
    EXPECT_EQ(signed_note->version, 3);

    Result<app::NoteAddendum> first =
        clinic().notes.AddAddendum(prescriber_, draft->id, "Reviewed; continue the course.");
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    EXPECT_EQ(first->note, draft->id);
    EXPECT_EQ(first->written_by, "doctor@clinic.example");
    Result<app::NoteAddendum> second =
        clinic().notes.AddAddendum(therapist_, draft->id, "Patient called: sleeping better.");
    ASSERT_TRUE(second.ok()) << second.error().ToString();

    Result<Note> read = clinic().notes.Get(nurse_, draft->id);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    Note expected = *signed_note;
    expected.addenda = {*first, *second};
    ExpectSameNote(*read, expected);

    const std::vector<std::string> actions = {"note.create",   "note.update",   "note.sign",
                                              "note.addendum", "note.addendum", "note.read"};
    EXPECT_EQ(NoteAuditActions(), actions);
}

// Found when the API was probed with hostile input (issue 15 §3): CRLF line breaks (a Windows client, an HTML form)
// were refused although the docs allow line breaks. They are kept as sent, byte for byte, by both backends.
TEST_P(NoteContractTest, CrlfLineBreaksAreKeptAsSentInNotesAndAddenda) {
    const std::string body = "Integration session 1.\r\nThemes: grief, relief.\r\n\r\n\tPlan: next week.\r\n";
    Result<Note> draft =
        clinic().notes.Write(therapist_, patient_, app::NewNote{NoteKind::kIntegration, course_, session_, body});
    ASSERT_TRUE(draft.ok()) << draft.error().ToString();
    Result<Note> edited = clinic().notes.Edit(therapist_, draft->id, 1, body + "Edited.\r\n");
    ASSERT_TRUE(edited.ok()) << edited.error().ToString();
    ASSERT_TRUE(clinic().notes.Sign(therapist_, draft->id, 2).ok());
    Result<app::NoteAddendum> addendum = clinic().notes.AddAddendum(prescriber_, draft->id, "Reviewed.\r\nContinue.");
    ASSERT_TRUE(addendum.ok()) << addendum.error().ToString();

    const std::vector<Note> stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored[0].body, body + "Edited.\r\n");
    ASSERT_EQ(stored[0].addenda.size(), 1U);
    EXPECT_EQ(stored[0].addenda[0].body, "Reviewed.\r\nContinue.");
}

TEST_P(NoteContractTest, ListsAPatientsNotesOldestFirstOptionallyByKind) {
    const Note preparation = WriteDraft(nurse_, NoteKind::kPreparation, "Preparation: expectations discussed.");
    Result<Note> dosing = clinic().notes.Write(
        nurse_, patient_, app::NewNote{NoteKind::kDosing, std::nullopt, session_, "Infusion well tolerated."});
    ASSERT_TRUE(dosing.ok()) << dosing.error().ToString();
    const Note progress = WriteSigned(prescriber_);
    Result<app::NoteAddendum> addendum = clinic().notes.AddAddendum(nurse_, progress.id, "BP rechecked: 128/80.");
    ASSERT_TRUE(addendum.ok()) << addendum.error().ToString();
    const PatientId other = Register("MRN-O");
    ASSERT_TRUE(clinic()
                    .notes.Write(nurse_, other, app::NewNote{NoteKind::kProgress, std::nullopt, std::nullopt, "Other"})
                    .ok());

    Result<std::vector<Note>> all = clinic().notes.ListForPatient(nurse_, patient_);
    ASSERT_TRUE(all.ok()) << all.error().ToString();
    ASSERT_EQ(all->size(), 3U);
    ExpectSameNote((*all)[0], preparation);
    ExpectSameNote((*all)[1], *dosing);
    Note progress_with_addendum = progress;
    progress_with_addendum.addenda = {*addendum};
    ExpectSameNote((*all)[2], progress_with_addendum);

    Result<std::vector<Note>> dosing_only = clinic().notes.ListForPatient(nurse_, patient_, NoteKind::kDosing);
    ASSERT_TRUE(dosing_only.ok()) << dosing_only.error().ToString();
    ASSERT_EQ(dosing_only->size(), 1U);
    ExpectSameNote(dosing_only->front(), *dosing);
    Result<std::vector<Note>> none = clinic().notes.ListForPatient(nurse_, patient_, NoteKind::kIntegration);
    ASSERT_TRUE(none.ok()) << none.error().ToString();
    EXPECT_TRUE(none->empty());

    const std::vector<std::string> tail = {"note.list", "note.list", "note.list"};
    const std::vector<std::string> actions = NoteAuditActions();
    ASSERT_GE(actions.size(), tail.size());
    EXPECT_EQ(std::vector<std::string>(actions.end() - 3, actions.end()), tail);
}

TEST_P(NoteContractTest, InvalidNotesAreRefusedWritingNothing) {
    const PatientId other = Register("MRN-O");
    const app::CourseRecord other_course = StartCourse(other);
    const app::CourseRecord second_course =
        StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv, "PTSD (F43.10)");
    auto write = [&](NoteKind kind, std::optional<CourseId> course, std::optional<SessionId> session,
                     const std::string& body, PatientId patient) {
        return [&, kind, course, session, body, patient] {
            return StatusOf(clinic().notes.Write(nurse_, patient, app::NewNote{kind, course, session, body}));
        };
    };
    const ErrorCode invalid = ErrorCode::kInvalidArgument;
    const NoteKind progress = NoteKind::kProgress;
    ExpectRefusedWritingNothing(write(progress, {}, {}, " \n\t ", patient_), invalid, "body");
    ExpectRefusedWritingNothing(write(progress, {}, {}, std::string(app::kMaxNoteLength + 1, 'x'), patient_), invalid,
                                "body");
    ExpectRefusedWritingNothing(write(progress, {}, {}, "line\rline", patient_), invalid, "body");
    ExpectRefusedWritingNothing(write(progress, {}, {}, std::string("nul\0byte", 8), patient_), invalid, "body");
    ExpectRefusedWritingNothing(write(progress, {}, {}, "bad \xC3\x28 utf-8", patient_), invalid, "body");
    ExpectRefusedWritingNothing(write(NoteKind::kDosing, course_, {}, "Dosed.", patient_), invalid, "session_id");
    ExpectRefusedWritingNothing(write(progress, {}, {}, "Hello", PatientId{999999}), ErrorCode::kNotFound,
                                "patient_id");
    ExpectRefusedWritingNothing(write(progress, CourseId{999999}, {}, "Hello", patient_), ErrorCode::kNotFound,
                                "course_id");
    ExpectRefusedWritingNothing(write(progress, {}, SessionId{999999}, "Hello", patient_), ErrorCode::kNotFound,
                                "session_id");
    ExpectRefusedWritingNothing(write(progress, other_course.course.id, {}, "Hello", patient_), invalid, "course_id");
    ExpectRefusedWritingNothing(write(progress, {}, other_course.sessions.at(0).id, "Hello", patient_), invalid,
                                "session_id");
    ExpectRefusedWritingNothing(write(progress, course_, second_course.sessions.at(0).id, "Hello", patient_), invalid,
                                "session_id");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.ListForPatient(nurse_, PatientId{999999})); },
                                ErrorCode::kNotFound, "patient_id");
    EXPECT_TRUE(Stored(patient_).empty());
    EXPECT_TRUE(Stored(other).empty());
    EXPECT_TRUE(NoteAuditActions().empty());
}

TEST_P(NoteContractTest, OnlyTheAuthorEditsOrSignsADraftAtTheCurrentVersion) {
    const Note draft = WriteDraft(nurse_);
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Edit(prescriber_, draft.id, 1, "Changed")); },
                                ErrorCode::kPermissionDenied, "author");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Sign(prescriber_, draft.id, 1)); },
                                ErrorCode::kPermissionDenied, "author");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Edit(nurse_, draft.id, 1, "")); },
                                ErrorCode::kInvalidArgument, "body");
    ASSERT_TRUE(clinic().notes.Edit(nurse_, draft.id, 1, "Mood 7/10").ok());
    // Written against version 1, which an earlier edit replaced.
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Edit(nurse_, draft.id, 1, "Mood 5/10")); },
                                ErrorCode::kConflict, "version");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Sign(nurse_, draft.id, 1)); },
                                ErrorCode::kConflict, "version");
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().notes.AddAddendum(prescriber_, draft.id, "Too early")); },
        ErrorCode::kFailedPrecondition, "note_id");
    const NoteId unknown{999999};
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Edit(nurse_, unknown, 1, "x")); },
                                ErrorCode::kNotFound, "note_id");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Sign(nurse_, unknown, 1)); }, ErrorCode::kNotFound,
                                "note_id");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.AddAddendum(nurse_, unknown, "x")); },
                                ErrorCode::kNotFound, "note_id");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Get(nurse_, unknown)); }, ErrorCode::kNotFound,
                                "note_id");
    const std::vector<Note> stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored.front().body, "Mood 7/10");
    EXPECT_EQ(stored.front().version, 2);
    EXPECT_FALSE(stored.front().signed_at.has_value());
}

TEST_P(NoteContractTest, ASignedNoteIsLockedAndChangesOnlyByAddenda) {
    const Note signed_note = WriteSigned(nurse_);
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().notes.Edit(nurse_, signed_note.id, signed_note.version, "Rewritten")); },
        ErrorCode::kFailedPrecondition, "note_id");
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().notes.Sign(nurse_, signed_note.id, signed_note.version)); },
        ErrorCode::kFailedPrecondition, "note_id");
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().notes.AddAddendum(nurse_, signed_note.id, "\x1B[31m")); },
        ErrorCode::kInvalidArgument, "body");
    Result<app::NoteAddendum> addendum = clinic().notes.AddAddendum(nurse_, signed_note.id, "Correction: mood 5/10.");
    ASSERT_TRUE(addendum.ok()) << addendum.error().ToString();
    const std::vector<Note> stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored.front().body, "Mood 6/10");
    ASSERT_EQ(stored.front().addenda.size(), 1U);
    EXPECT_EQ(stored.front().addenda.front().body, "Correction: mood 5/10.");
}

TEST_P(NoteContractTest, DatabaseRefusesEditingASignedNoteAndDeletingNotesOrAddenda) {
    Result<Note> dosing = clinic().notes.Write(
        nurse_, patient_, app::NewNote{NoteKind::kDosing, course_, session_, "Infusion well tolerated."});
    ASSERT_TRUE(dosing.ok()) << dosing.error().ToString();
    Result<Note> signed_note = clinic().notes.Sign(nurse_, dosing->id, dosing->version);
    ASSERT_TRUE(signed_note.ok()) << signed_note.error().ToString();
    Result<app::NoteAddendum> addendum = clinic().notes.AddAddendum(prescriber_, dosing->id, "Reviewed.");
    ASSERT_TRUE(addendum.ok()) << addendum.error().ToString();
    const Note draft = WriteDraft(nurse_);
    const std::string signed_id = std::to_string(dosing->id.value);
    const std::string draft_id = std::to_string(draft.id.value);

    const std::vector<Note> before = Stored(patient_);
    const std::string addendum_id = std::to_string(addendum->id.value);
    const std::vector<std::pair<std::string, std::string>> refusals = {
        {"UPDATE notes SET body = 'rewritten' WHERE id = " + signed_id, "a signed note is never edited"},
        {"UPDATE notes SET kind = 'progress' WHERE id = " + signed_id, "a signed note is never edited"},
        {"UPDATE notes SET session_id = NULL, course_id = NULL WHERE id = " + signed_id,
         "a signed note is never edited"},
        {"UPDATE notes SET signed_by = 'someone else' WHERE id = " + signed_id, "a signed note is never edited"},
        {"UPDATE notes SET signed_at = NULL, signed_by = NULL WHERE id = " + signed_id,
         "a signed note is never edited"},
        {"UPDATE notes SET version = version + 1 WHERE id = " + signed_id, "a signed note is never edited"},
        {"DELETE FROM notes WHERE id = " + signed_id, "notes are never deleted"},
        {"DELETE FROM notes WHERE id = " + draft_id, "notes are never deleted"},
        {"UPDATE notes SET author = 'someone else' WHERE id = " + draft_id, "keeps its patient, author"},
        {"UPDATE notes SET kind = 'dosing' WHERE id = " + draft_id, "check constraint"},
        {"UPDATE note_addenda SET body = 'rewritten' WHERE id = " + addendum_id, "append-only"},
        {"DELETE FROM note_addenda WHERE id = " + addendum_id, "append-only"},
        {"INSERT INTO note_addenda (note_id, body, written_at, written_by) VALUES (" + draft_id + ", 'early', 0, 'x')",
         "only to a signed note"},
    };
    for (const auto& [statement, expected] : refusals) {
        Status refused = ExecuteDirectly(statement);
        ASSERT_FALSE(refused.ok()) << statement;
        EXPECT_NE(Lowercase(refused.error().message).find(expected), std::string::npos)
            << statement << ": " << refused.error().ToString();
    }
    const std::vector<Note> after = Stored(patient_);
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        ExpectSameNote(after[i], before[i]);
    }

    // A draft's body may change; the use case adds the author and version checks on top.
    Status allowed = ExecuteDirectly("UPDATE notes SET body = 'edited' WHERE id = " + draft_id);
    EXPECT_TRUE(allowed.ok()) << allowed.error().ToString();
}

// The API reaches therapy and clinical notes through paths of their own: a note of another kind is not found there,
// and nothing is written.
TEST_P(NoteContractTest, ANoteOfAnotherFamilyOfKindsIsNotFoundAndNothingIsWritten) {
    constexpr std::array kTherapyKinds{NoteKind::kPreparation, NoteKind::kIntegration};
    const Note draft = WriteDraft(nurse_, NoteKind::kProgress);
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().notes.Edit(nurse_, draft.id, 1, "Mood 7/10", kTherapyKinds)); },
        ErrorCode::kNotFound, "note_id");
    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().notes.Sign(nurse_, draft.id, 1, kTherapyKinds)); },
                                ErrorCode::kNotFound, "note_id");
    const Note signed_note = WriteSigned(nurse_);
    ExpectRefusedWritingNothing(
        [&] {
            return StatusOf(clinic().notes.AddAddendum(therapist_, signed_note.id, "Seen in therapy", kTherapyKinds));
        },
        ErrorCode::kNotFound, "note_id");

    constexpr std::array kClinicalKinds{NoteKind::kDosing, NoteKind::kProgress};
    Result<Note> edited = clinic().notes.Edit(nurse_, draft.id, 1, "Mood 7/10", kClinicalKinds);
    ASSERT_TRUE(edited.ok()) << edited.error().ToString();
    EXPECT_EQ(edited->body, "Mood 7/10");
    Result<Note> signed_now = clinic().notes.Sign(nurse_, draft.id, 2, kClinicalKinds);
    ASSERT_TRUE(signed_now.ok()) << signed_now.error().ToString();
    Result<app::NoteAddendum> added = clinic().notes.AddAddendum(prescriber_, draft.id, "Reviewed", kClinicalKinds);
    ASSERT_TRUE(added.ok()) << added.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(Backends, NoteContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
