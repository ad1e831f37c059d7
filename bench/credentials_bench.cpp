// Login cost: one Argon2id hash and one verification at the parameters kclinic stores passwords with
// (adapters/crypto, libsodium's interactive limits: 64 MiB, 2 passes), beside the physical floor of the same
// memory traffic measured in the same run: Argon2id fills its 64 MiB once and then reads and rewrites every block
// on each pass, so no implementation can beat writing 64 MiB plus two read-and-write sweeps over it.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "adapters/crypto/sodium_credentials.hpp"

namespace {

constexpr std::size_t kArgon2MemoryBytes = std::size_t{64} << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
constexpr int kArgon2Passes = 2;                                   // crypto_pwhash_OPSLIMIT_INTERACTIVE

const std::string kPassword = "correct horse battery staple";

void BM_Argon2idHash(benchmark::State& state) {
    const kclinic::adapters::crypto::SodiumCredentials credentials;
    for (auto _ : state) {
        kclinic::Result<std::string> hashed = credentials.HashPassword(kPassword);
        if (!hashed.ok()) {
            state.SkipWithError(hashed.error().message.c_str());
            return;
        }
        benchmark::DoNotOptimize(hashed);
    }
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Argon2idVerify(benchmark::State& state) {
    const kclinic::adapters::crypto::SodiumCredentials credentials;
    kclinic::Result<std::string> hashed = credentials.HashPassword(kPassword);
    if (!hashed.ok()) {
        state.SkipWithError(hashed.error().message.c_str());
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(credentials.VerifyPassword(*hashed, kPassword));
    }
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime();

// The floor: write 64 MiB, then per pass read every byte and write it back elsewhere (memcpy between halves).
void BM_MemoryFloorOfArgon2id(benchmark::State& state) {
    std::vector<unsigned char> memory(kArgon2MemoryBytes);
    std::vector<unsigned char> scratch(kArgon2MemoryBytes);
    for (auto _ : state) {
        std::memset(memory.data(), 0x5a, memory.size());
        for (int pass = 0; pass < kArgon2Passes; ++pass) {
            std::memcpy(scratch.data(), memory.data(), memory.size());
            std::swap(memory, scratch);
        }
        benchmark::DoNotOptimize(memory.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_MemoryFloorOfArgon2id)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
