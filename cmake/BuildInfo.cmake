# Version, git commit and build date for `kubectl upgrade version`, fixed at configure time.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE KU_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE KU_GIT_DIRTY OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT KU_GIT_COMMIT)
  set(KU_GIT_COMMIT "unknown")
endif()
if(KU_GIT_DIRTY)
  set(KU_GIT_TREE_STATE "dirty")
else()
  set(KU_GIT_TREE_STATE "clean")
endif()
string(TIMESTAMP KU_BUILD_DATE "%Y-%m-%dT%H:%M:%SZ" UTC)
set(KU_VERSION "v${PROJECT_VERSION}")
