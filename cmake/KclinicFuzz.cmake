# kclinic_fuzz_target(NAME <name> SOURCES <files> LIBS <libraries> SEEDS <folder> [MAX_LEN <bytes>])
#
# A libFuzzer target kclinic_<name>_fuzz (issue 13 §4, issue 15 §3), built only by a clang configure with
# KCLINIC_BUILD_FUZZ=ON (the `fuzz` preset, `make fuzz`) under the preset's ASan and UBSan, and part of the custom
# target kclinic_fuzz_targets. With tests on, a bounded CTest case <name>.fuzz (labels fuzz and <name>_fuzz) runs it
# for KCLINIC_FUZZ_SECONDS from the seed corpus SEEDS (testdata/fuzz/<name>); the corpus it grows stays in the build
# folder, never in testdata/. Link only the libraries the parser needs, so the fuzz build stays small.
set(KCLINIC_FUZZ_SECONDS 30 CACHE STRING "Seconds each fuzz target runs as a CTest case (make fuzz FUZZ_SECONDS=N)")

function(kclinic_fuzz_target)
  cmake_parse_arguments(F "" "NAME;SEEDS;MAX_LEN" "SOURCES;LIBS" ${ARGN})
  if(NOT KCLINIC_BUILD_FUZZ)
    return()
  endif()
  if(NOT F_MAX_LEN)
    set(F_MAX_LEN 4096)
  endif()
  set(target kclinic_${F_NAME}_fuzz)
  add_executable(${target} ${F_SOURCES})
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PRIVATE ${F_LIBS})
  kclinic_warnings(${target})
  if(NOT TARGET kclinic_fuzz_targets)
    add_custom_target(kclinic_fuzz_targets)
  endif()
  add_dependencies(kclinic_fuzz_targets ${target})
  if(KCLINIC_BUILD_TESTS)
    set(corpus ${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}_fuzz_corpus)
    add_test(NAME ${F_NAME}.fuzz
      COMMAND sh -c "mkdir -p '${corpus}' && exec '$<TARGET_FILE:${target}>' -max_total_time=${KCLINIC_FUZZ_SECONDS} -max_len=${F_MAX_LEN} -timeout=10 -print_final_stats=1 '${corpus}' '${F_SEEDS}'")
    math(EXPR limit "${KCLINIC_FUZZ_SECONDS} * 2 + 120")
    set_tests_properties(${F_NAME}.fuzz PROPERTIES LABELS "fuzz;${F_NAME}_fuzz" TIMEOUT ${limit})
  endif()
endfunction()
