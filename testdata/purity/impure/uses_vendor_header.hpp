#pragma once
// Fixture for the purity check: this include must be reported. Never compiled.
#include <string>
#include <nlohmann/json.hpp>
