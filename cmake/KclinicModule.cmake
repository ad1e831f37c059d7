# kclinic_module(NAME <name> SOURCES <...> [TESTS <...>] [DEPS <...>] [PRIVATE_DEPS <...>])
#
# Builds one folder of src/ as the static library kclinic_<name>, with includes rooted at src/, and (when tests
# are on) its *_test.cpp files as the executable kclinic_<name>_test, each case registered with CTest.
# DEPS are linked PUBLIC (they appear in this module's headers); PRIVATE_DEPS only in its .cpp files.

function(kclinic_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  # g++ 12 at -O2 and above reports a false -Wrestrict inside libstdc++ for `"literal" + std::string` (GCC bug
  # 105329, fixed in g++ 13); it says nothing about our code.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(KCLINIC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(kclinic_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;TESTS;DEPS;PRIVATE_DEPS;TEST_DEPS" ${ARGN})
  set(lib kclinic_${M_NAME})
  add_library(${lib} STATIC ${M_SOURCES})
  target_include_directories(${lib} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${lib} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  kclinic_warnings(${lib})

  if(KCLINIC_BUILD_TESTS AND M_TESTS)
    set(test ${lib}_test)
    add_executable(${test} ${M_TESTS})
    target_link_libraries(${test} PRIVATE ${lib} ${M_TEST_DEPS} GTest::gtest GTest::gtest_main)
    target_compile_definitions(${test} PRIVATE KCLINIC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    kclinic_warnings(${test})
    gtest_discover_tests(${test} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${M_NAME})
  endif()
endfunction()
