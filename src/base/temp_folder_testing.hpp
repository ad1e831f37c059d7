#pragma once

// For tests: a fresh temporary folder that lives as long as the object and is removed with everything in it, and
// the one way tests write a file into it. Not thread-safe: one test owns one folder.

#include <cstdlib>  // ::mkdtemp (POSIX; glibc declares it with the C library)
#include <filesystem>
#include <fstream>
#include <ios>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kclinic::testing {

class TempFolder {
public:
    // Creates <temp>/<prefix>XXXXXX (<temp>: $TMPDIR, else /tmp). Throws std::runtime_error when it cannot (a test
    // cannot go on without it).
    explicit TempFolder(std::string_view prefix = "kclinic_") {
        std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        path_ = pattern;
    }
    ~TempFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    TempFolder(TempFolder&&) = delete;
    TempFolder& operator=(TempFolder&&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    // The path of `name` in the folder.
    [[nodiscard]] std::string File(std::string_view name) const { return (path_ / name).string(); }

    // Writes `text` to `file` as bytes, replacing what was there.
    static void Write(const std::filesystem::path& file, std::string_view text) {
        std::ofstream(file, std::ios::binary) << text;
    }

private:
    std::filesystem::path path_;
};

}  // namespace kclinic::testing
