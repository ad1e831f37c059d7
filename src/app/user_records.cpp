#include "app/user_records.hpp"

#include <algorithm>
#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/patient_records.hpp"

namespace kclinic::app {
namespace {

constexpr std::size_t kMaxDisplayNameLength = 200;
constexpr std::size_t kMaxTokenNameLength = 100;

bool HasControlCharacter(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

Status CheckName(std::string_view field, std::string_view value, std::size_t max_length, bool required) {
    if (required && value.empty()) {
        return InvalidArgument(std::string(field), "is required");
    }
    if (value.size() > max_length) {
        return InvalidArgument(std::string(field), "must be at most " + std::to_string(max_length) + " characters");
    }
    if (HasControlCharacter(value)) {
        return InvalidArgument(std::string(field), "must not contain control characters");
    }
    return Status::Ok();
}

std::int64_t PatientOf(const User& user) {
    return user.patient ? user.patient->value : 0;
}

// Whether a user of `role` must log in with a second factor under the stored settings, which sets the password's
// minimum length (CheckPasswordPolicy).
Result<bool> RoleNeedsSecondFactor(Store& store, Role role) {
    ASSIGN_OR_RETURN(const clinical::ClinicSettings settings,
                     store.Read([](StoreTransaction& tx) { return LoadClinicSettings(tx); }));
    return SecondFactorRequired(settings.access, role);
}

}  // namespace

Result<User> UserByEmail(AccessTransaction& tx, const std::string& email) {
    ASSIGN_OR_RETURN(std::optional<User> user, tx.FindUserByEmail(email));
    if (!user) {
        return Error{ErrorCode::kNotFound, "email", "no user with email " + email};
    }
    return std::move(*user);
}

Result<User> UserRecords::AddUser(const Actor& actor, const NewUser& user) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(user.email));
    RETURN_IF_ERROR(CheckName("display_name", user.display_name, kMaxDisplayNameLength, false));
    if (user.role == Role::kPatient && !user.patient) {
        return InvalidArgument("patient_id", "is required for role patient: the record the patient may see");
    }
    if (user.role != Role::kPatient && user.patient) {
        return InvalidArgument("patient_id", "is only for role patient");
    }
    ASSIGN_OR_RETURN(const bool second_factor, RoleNeedsSecondFactor(store_, user.role));
    RETURN_IF_ERROR(CheckPasswordPolicy(user.password, email, second_factor));
    // Hashing takes tens of milliseconds on purpose; it runs before the transaction so no writer waits for it.
    ASSIGN_OR_RETURN(std::string hash, credentials_.HashPassword(user.password));
    const TimePoint now = clock_.Now();
    User stored;
    stored.email = email;
    stored.display_name = user.display_name;
    stored.role = user.role;
    stored.password_hash = std::move(hash);
    stored.patient = user.patient;
    stored.created_at = now;
    stored.created_by = actor.user;
    stored.updated_at = now;
    stored.updated_by = actor.user;
    return store_.Write([&](StoreTransaction& tx) -> Result<User> {
        if (stored.patient) {
            RETURN_IF_ERROR(tx.GetPatient(*stored.patient));
        }
        ASSIGN_OR_RETURN(stored.id, tx.InsertUser(stored));
        // Attempts on this address from before it was an account must not lock (or delay) the new user.
        RETURN_IF_ERROR(tx.ClearLoginThrottle(stored.email));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "user.create", "user", stored.id.value, PatientOf(stored)));
        return stored;
    });
}

Result<std::vector<User>> UserRecords::ListUsers(const Actor& actor, UserId after, int limit) {
    if (limit < 1 || limit > kMaxPageSize) {
        return OutOfRange("limit", limit, 1, kMaxPageSize);
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<User>> {
        ASSIGN_OR_RETURN(std::vector<User> users, tx.ListUsers(after, limit));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "user.list", "user", after.value, 0));
        return users;
    });
}

Result<User> UserRecords::DisableUser(const Actor& actor, std::string_view email_text) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(email_text));
    if (email == actor.user) {
        return Error{ErrorCode::kFailedPrecondition, "email", "you cannot disable your own account"};
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<User> {
        ASSIGN_OR_RETURN(User user, UserByEmail(tx, email));
        if (user.disabled) {
            return Error{ErrorCode::kFailedPrecondition, "email", email + " is already disabled"};
        }
        user.disabled = true;
        user.medical_director = false;
        user.updated_at = now;
        user.updated_by = actor.user;
        RETURN_IF_ERROR(tx.UpdateUser(user));
        RETURN_IF_ERROR(tx.EndUserBrowserSessions(user.id, now));
        RETURN_IF_ERROR(tx.RevokeUserApiTokens(user.id, now));
        ASSIGN_OR_RETURN(const std::optional<CalendarFeed> feed, tx.FindLiveCalendarFeed(user.id));
        if (feed) {
            RETURN_IF_ERROR(tx.RevokeCalendarFeed(feed->id, now));
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "user.disable", "user", user.id.value, PatientOf(user)));
        return user;
    });
}

Result<User> UserRecords::DesignateMedicalDirector(const Actor& actor, std::string_view email_text) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(email_text));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<User> {
        ASSIGN_OR_RETURN(User user, UserByEmail(tx, email));
        if (user.disabled || user.role != Role::kPrescriber) {
            return Error{ErrorCode::kFailedPrecondition, "email",
                         email + " is not an active prescriber; the medical director is one"};
        }
        if (user.medical_director) {
            return Error{ErrorCode::kFailedPrecondition, "email", email + " is the medical director already"};
        }
        ASSIGN_OR_RETURN(std::optional<User> before, tx.FindMedicalDirector());
        if (before) {
            before->medical_director = false;
            before->updated_at = now;
            before->updated_by = actor.user;
            RETURN_IF_ERROR(tx.UpdateUser(*before));
        }
        user.medical_director = true;
        user.updated_at = now;
        user.updated_by = actor.user;
        RETURN_IF_ERROR(tx.UpdateUser(user));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "user.medical_director", "user", user.id.value, 0,
                                    before ? "replaces=" + before->email : std::string()));
        return user;
    });
}

Result<User> UserRecords::UnlockUser(const Actor& actor, std::string_view email_text) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(email_text));
    return store_.Write([&](StoreTransaction& tx) -> Result<User> {
        ASSIGN_OR_RETURN(User user, UserByEmail(tx, email));
        RETURN_IF_ERROR(tx.ClearLoginThrottle(email));
        user.failed_logins = 0;
        user.locked_until.reset();
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "user.unlock", "user", user.id.value, PatientOf(user)));
        return user;
    });
}

Result<User> UserRecords::SetPassword(const Actor& actor, std::string_view email_text, std::string_view password) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(email_text));
    ASSIGN_OR_RETURN(const User current, store_.Read([&](StoreTransaction& tx) { return UserByEmail(tx, email); }));
    ASSIGN_OR_RETURN(const bool second_factor, RoleNeedsSecondFactor(store_, current.role));
    RETURN_IF_ERROR(CheckPasswordPolicy(password, email, second_factor));
    ASSIGN_OR_RETURN(std::string hash, credentials_.HashPassword(password));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<User> {
        ASSIGN_OR_RETURN(User user, UserByEmail(tx, email));
        user.password_hash = hash;
        user.updated_at = now;
        user.updated_by = actor.user;
        user.failed_logins = 0;
        user.locked_until.reset();
        // Whoever knew the old password may hold a session started with it (OWASP Session Management Cheat Sheet:
        // renew sessions on a change of credentials).
        RETURN_IF_ERROR(tx.UpdateUser(user));
        RETURN_IF_ERROR(tx.ClearLoginThrottle(email));
        RETURN_IF_ERROR(tx.EndUserBrowserSessions(user.id, now));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "user.password_set", "user", user.id.value, PatientOf(user)));
        return user;
    });
}

Result<NewApiToken> UserRecords::CreateApiToken(const Actor& actor, std::string_view email_text,
                                                std::string_view name) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(email_text));
    RETURN_IF_ERROR(CheckName("name", name, kMaxTokenNameLength, true));
    const TimePoint now = clock_.Now();
    NewApiToken created;
    created.token = credentials_.NewToken();
    created.record.name = std::string(name);
    created.record.token_digest = credentials_.TokenDigest(created.token);
    created.record.created_at = now;
    created.record.created_by = actor.user;
    return store_.Write([&](StoreTransaction& tx) -> Result<NewApiToken> {
        ASSIGN_OR_RETURN(User user, UserByEmail(tx, email));
        if (user.disabled) {
            return Error{ErrorCode::kFailedPrecondition, "email", email + " is disabled"};
        }
        created.record.user = user.id;
        ASSIGN_OR_RETURN(created.record.id, tx.InsertApiToken(created.record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "token.create", "api_token", created.record.id.value, 0));
        return created;
    });
}

Result<std::vector<ApiToken>> UserRecords::ListApiTokens(const Actor& actor, std::string_view email_text) {
    ASSIGN_OR_RETURN(std::string email, NormalizeEmail(email_text));
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<ApiToken>> {
        ASSIGN_OR_RETURN(User user, UserByEmail(tx, email));
        ASSIGN_OR_RETURN(std::vector<ApiToken> tokens, tx.ListApiTokens(user.id));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "token.list", "user", user.id.value, 0));
        return tokens;
    });
}

Result<ApiToken> UserRecords::RevokeApiToken(const Actor& actor, ApiTokenId id) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<ApiToken> {
        ASSIGN_OR_RETURN(ApiToken token, tx.GetApiToken(id));
        if (token.revoked_at) {
            return Error{ErrorCode::kFailedPrecondition, "token_id",
                         "API token " + std::to_string(id.value) + " is already revoked"};
        }
        RETURN_IF_ERROR(tx.RevokeApiToken(id, now));
        token.revoked_at = now;
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "token.revoke", "api_token", id.value, 0));
        return token;
    });
}

}  // namespace kclinic::app
