#include "app/user_records.hpp"

#include <algorithm>
#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
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

// The user with `email` (already normalized); kNotFound "email" when none.
Result<User> UserByEmail(StoreTransaction& tx, const std::string& email) {
    Result<std::optional<User>> found = tx.FindUserByEmail(email);
    if (!found.ok()) {
        return found.error();
    }
    std::optional<User> user = std::move(found).value();
    if (!user) {
        return Error{ErrorCode::kNotFound, "email", "no user with email " + email};
    }
    return std::move(*user);
}

std::int64_t PatientOf(const User& user) {
    return user.patient ? user.patient->value : 0;
}

}  // namespace

Result<User> UserRecords::AddUser(const Actor& actor, const NewUser& user) {
    Result<std::string> email = NormalizeEmail(user.email);
    if (!email.ok()) {
        return email.error();
    }
    if (Status name = CheckName("display_name", user.display_name, kMaxDisplayNameLength, false); !name.ok()) {
        return name.error();
    }
    if (user.role == Role::kPatient && !user.patient) {
        return InvalidArgument("patient_id", "is required for role patient: the record the patient may see");
    }
    if (user.role != Role::kPatient && user.patient) {
        return InvalidArgument("patient_id", "is only for role patient");
    }
    if (Status policy = CheckPasswordPolicy(user.password, *email); !policy.ok()) {
        return policy.error();
    }
    // Hashing takes tens of milliseconds on purpose; it runs before the transaction so no writer waits for it.
    Result<std::string> hash = credentials_.HashPassword(user.password);
    if (!hash.ok()) {
        return hash.error();
    }
    const TimePoint now = clock_.Now();
    User stored;
    stored.email = *email;
    stored.display_name = user.display_name;
    stored.role = user.role;
    stored.password_hash = std::move(hash).value();
    stored.patient = user.patient;
    stored.created_at = now;
    stored.created_by = actor.user;
    stored.updated_at = now;
    stored.updated_by = actor.user;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (stored.patient) {
            if (Result<Patient> exists = tx.GetPatient(*stored.patient); !exists.ok()) {
                return exists.error();
            }
        }
        Result<UserId> id = tx.InsertUser(stored);
        if (!id.ok()) {
            return id.error();
        }
        stored.id = *id;
        // Attempts on this address from before it was an account must not lock (or delay) the new user.
        if (Status cleared = tx.ClearLoginThrottle(stored.email); !cleared.ok()) {
            return cleared;
        }
        return RecordAudit(tx, actor, now, "user.create", "user", id->value, PatientOf(stored));
    });
    if (!status.ok()) {
        return status.error();
    }
    return stored;
}

Result<std::vector<User>> UserRecords::ListUsers(const Actor& actor, UserId after, int limit) {
    if (limit < 1 || limit > kMaxPageSize) {
        return OutOfRange("limit", limit, 1, kMaxPageSize);
    }
    std::vector<User> users;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<std::vector<User>> listed = tx.ListUsers(after, limit);
        if (!listed.ok()) {
            return listed.error();
        }
        users = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "user.list", "user", after.value, 0);
    });
    if (!status.ok()) {
        return status.error();
    }
    return users;
}

Result<User> UserRecords::DisableUser(const Actor& actor, std::string_view email_text) {
    Result<std::string> email = NormalizeEmail(email_text);
    if (!email.ok()) {
        return email.error();
    }
    if (*email == actor.user) {
        return Error{ErrorCode::kFailedPrecondition, "email", "you cannot disable your own account"};
    }
    const TimePoint now = clock_.Now();
    std::optional<User> disabled;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<User> found = UserByEmail(tx, *email);
        if (!found.ok()) {
            return found.error();
        }
        User& user = found.value();
        if (user.disabled) {
            return Error{ErrorCode::kFailedPrecondition, "email", *email + " is already disabled"};
        }
        user.disabled = true;
        user.updated_at = now;
        user.updated_by = actor.user;
        if (Status updated = tx.UpdateUser(user); !updated.ok()) {
            return updated;
        }
        if (Status ended = tx.EndUserBrowserSessions(user.id, now); !ended.ok()) {
            return ended;
        }
        if (Status revoked = tx.RevokeUserApiTokens(user.id, now); !revoked.ok()) {
            return revoked;
        }
        disabled = user;
        return RecordAudit(tx, actor, now, "user.disable", "user", user.id.value, PatientOf(user));
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*disabled);
}

Result<User> UserRecords::UnlockUser(const Actor& actor, std::string_view email_text) {
    Result<std::string> email = NormalizeEmail(email_text);
    if (!email.ok()) {
        return email.error();
    }
    std::optional<User> unlocked;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<User> found = UserByEmail(tx, *email);
        if (!found.ok()) {
            return found.error();
        }
        User& user = found.value();
        if (Status cleared = tx.ClearLoginThrottle(*email); !cleared.ok()) {
            return cleared;
        }
        user.failed_logins = 0;
        user.locked_until.reset();
        unlocked = user;
        return RecordAudit(tx, actor, clock_.Now(), "user.unlock", "user", user.id.value, PatientOf(user));
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*unlocked);
}

Result<User> UserRecords::SetPassword(const Actor& actor, std::string_view email_text, std::string_view password) {
    Result<std::string> email = NormalizeEmail(email_text);
    if (!email.ok()) {
        return email.error();
    }
    if (Status policy = CheckPasswordPolicy(password, *email); !policy.ok()) {
        return policy.error();
    }
    Result<std::string> hash = credentials_.HashPassword(password);
    if (!hash.ok()) {
        return hash.error();
    }
    const TimePoint now = clock_.Now();
    std::optional<User> changed;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<User> found = UserByEmail(tx, *email);
        if (!found.ok()) {
            return found.error();
        }
        User& user = found.value();
        user.password_hash = *hash;
        user.updated_at = now;
        user.updated_by = actor.user;
        user.failed_logins = 0;
        user.locked_until.reset();
        // Whoever knew the old password may hold a session started with it (OWASP Session Management Cheat Sheet:
        // renew sessions on a change of credentials).
        if (Status updated = tx.UpdateUser(user); !updated.ok()) {
            return updated;
        }
        if (Status cleared = tx.ClearLoginThrottle(*email); !cleared.ok()) {
            return cleared;
        }
        if (Status ended = tx.EndUserBrowserSessions(user.id, now); !ended.ok()) {
            return ended;
        }
        changed = user;
        return RecordAudit(tx, actor, now, "user.password_set", "user", user.id.value, PatientOf(user));
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*changed);
}

Result<NewApiToken> UserRecords::CreateApiToken(const Actor& actor, std::string_view email_text,
                                                std::string_view name) {
    Result<std::string> email = NormalizeEmail(email_text);
    if (!email.ok()) {
        return email.error();
    }
    if (Status valid = CheckName("name", name, kMaxTokenNameLength, true); !valid.ok()) {
        return valid.error();
    }
    const TimePoint now = clock_.Now();
    NewApiToken created;
    created.token = credentials_.NewToken();
    created.record.name = std::string(name);
    created.record.token_digest = credentials_.TokenDigest(created.token);
    created.record.created_at = now;
    created.record.created_by = actor.user;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<User> user = UserByEmail(tx, *email);
        if (!user.ok()) {
            return user.error();
        }
        if (user->disabled) {
            return Error{ErrorCode::kFailedPrecondition, "email", *email + " is disabled"};
        }
        created.record.user = user->id;
        Result<ApiTokenId> id = tx.InsertApiToken(created.record);
        if (!id.ok()) {
            return id.error();
        }
        created.record.id = *id;
        return RecordAudit(tx, actor, now, "token.create", "api_token", id->value, 0);
    });
    if (!status.ok()) {
        return status.error();
    }
    return created;
}

Result<std::vector<ApiToken>> UserRecords::ListApiTokens(const Actor& actor, std::string_view email_text) {
    Result<std::string> email = NormalizeEmail(email_text);
    if (!email.ok()) {
        return email.error();
    }
    std::vector<ApiToken> tokens;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<User> user = UserByEmail(tx, *email);
        if (!user.ok()) {
            return user.error();
        }
        Result<std::vector<ApiToken>> listed = tx.ListApiTokens(user->id);
        if (!listed.ok()) {
            return listed.error();
        }
        tokens = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "token.list", "user", user->id.value, 0);
    });
    if (!status.ok()) {
        return status.error();
    }
    return tokens;
}

Result<ApiToken> UserRecords::RevokeApiToken(const Actor& actor, ApiTokenId id) {
    const TimePoint now = clock_.Now();
    std::optional<ApiToken> revoked;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<ApiToken> found = tx.GetApiToken(id);
        if (!found.ok()) {
            return found.error();
        }
        ApiToken& token = found.value();
        if (token.revoked_at) {
            return Error{ErrorCode::kFailedPrecondition, "token_id",
                         "API token " + std::to_string(id.value) + " is already revoked"};
        }
        if (Status done = tx.RevokeApiToken(id, now); !done.ok()) {
            return done;
        }
        token.revoked_at = now;
        revoked = token;
        return RecordAudit(tx, actor, now, "token.revoke", "api_token", id.value, 0);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*revoked);
}

}  // namespace kclinic::app
