# cmake -DDIRS=<dir,...> -DALLOWED_PREFIXES=<prefix,...> -P CheckPureIncludes.cmake  (comma-separated: CTest would
# split a semicolon list into separate arguments)
#
# Fails when a .hpp/.cpp file under DIRS includes anything but a C++20 standard library header (<...>) or one of
# the project's own headers whose path starts with an allowed prefix ("..."). This keeps the clinical core pure:
# no Boost, SQLite, libpq, JSON or OS headers can creep in through the system include path.
#
# One library header stands in for the standard library: <date/tz.h>, Howard Hinnant's reference implementation of
# C++20's <chrono> time zones (P0355), which g++ 12's <chrono> lacks. The core may compute with a zone the adapter
# located, never read the database itself: outside *_test.cpp files, a call of date's functions that read
# /usr/share/zoneinfo (locate_zone, get_tzdb, get_tzdb_list, reload_tzdb, current_zone) fails the check too.

set(standard_headers
  algorithm any array atomic barrier bit bitset cassert cctype cerrno cfenv cfloat charconv chrono cinttypes
  climits clocale cmath codecvt compare complex concepts condition_variable coroutine csetjmp csignal cstdarg
  cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype deque exception execution expected filesystem
  format forward_list fstream functional future initializer_list iomanip ios iosfwd iostream istream iterator
  latch limits list locale map memory memory_resource mutex new numbers numeric optional ostream queue random
  ranges ratio regex scoped_allocator semaphore set shared_mutex source_location span sstream stack stdexcept
  stop_token streambuf string string_view syncstream system_error thread tuple type_traits typeindex typeinfo
  unordered_map unordered_set utility valarray variant vector version)
list(APPEND standard_headers date/tz.h)  # the stand-in for C++20's <chrono> time zones (above)

if(NOT DIRS OR NOT ALLOWED_PREFIXES)
  message(FATAL_ERROR "DIRS and ALLOWED_PREFIXES are required")
endif()
string(REPLACE "," ";" DIRS "${DIRS}")
string(REPLACE "," ";" ALLOWED_PREFIXES "${ALLOWED_PREFIXES}")

set(violations "")
set(files_checked 0)
foreach(dir IN LISTS DIRS)
  file(GLOB_RECURSE sources "${dir}/*.hpp" "${dir}/*.cpp" "${dir}/*.h")
  foreach(source IN LISTS sources)
    math(EXPR files_checked "${files_checked} + 1")
    if(NOT source MATCHES "_test\\.cpp$")
      file(STRINGS "${source}" reads REGEX "(locate_zone|get_tzdb|get_tzdb_list|reload_tzdb|current_zone)[ \t]*\\(")
      if(reads)
        list(APPEND violations "${source}: reads the time zone database (calls locate_zone, get_tzdb, ...)")
      endif()
    endif()
    file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
      if(line MATCHES "<([^>]+)>")
        set(header "${CMAKE_MATCH_1}")
        # A test file may use GoogleTest; the rule is about what the production code depends on.
        if(source MATCHES "_test\\.cpp$" AND header MATCHES "^(gtest|gmock)/")
          continue()
        endif()
        list(FIND standard_headers "${header}" found)
        if(found EQUAL -1)
          list(APPEND violations "${source}: <${header}> is not a C++ standard library header")
        endif()
      elseif(line MATCHES "\"([^\"]+)\"")
        set(header "${CMAKE_MATCH_1}")
        set(allowed FALSE)
        foreach(prefix IN LISTS ALLOWED_PREFIXES)
          string(FIND "${header}" "${prefix}" position)
          if(position EQUAL 0)
            set(allowed TRUE)
          endif()
        endforeach()
        if(NOT allowed)
          list(APPEND violations "${source}: \"${header}\" is outside ${ALLOWED_PREFIXES}")
        endif()
      endif()
    endforeach()
  endforeach()
endforeach()

if(files_checked EQUAL 0)
  message(FATAL_ERROR "no source files found under ${DIRS}; the check would prove nothing")
endif()
if(violations)
  list(JOIN violations "\n  " report)
  message(FATAL_ERROR "impure sources:\n  ${report}")
endif()
message(STATUS "${files_checked} files include only the standard library and ${ALLOWED_PREFIXES}, and read no time zone database")
