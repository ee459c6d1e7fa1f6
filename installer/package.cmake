# Builds this platform's packages in one command (see installer/README.md):
#   cmake -P installer/package.cmake
# Linux: hoist_*.deb and hoistd_*.deb; Windows: the NSIS installer; macOS: the .dmg;
# all in BUILD_DIR, which is configured for release when new and otherwise packaged
# as it is. Optional: -DBUILD_DIR=DIR (default build-pkg), -DJOBS=N,
# -DCONFIGURE_ARGS="-DCMAKE_PREFIX_PATH=C:/Qt/6.7.2/msvc2019_64;-G;Ninja"
# (-D options go before -P).
cmake_minimum_required(VERSION 3.25)
get_filename_component(source_dir ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
if(NOT BUILD_DIR)
  set(BUILD_DIR ${source_dir}/build-pkg)
endif()
if(NOT JOBS)
  cmake_host_system_information(RESULT JOBS QUERY NUMBER_OF_LOGICAL_CORES)
endif()
set(config RelWithDebInfo)

if(CMAKE_HOST_WIN32)
  set(generator NSIS)
elseif(CMAKE_HOST_APPLE)
  set(generator DragNDrop)
else()
  set(generator DEB)
endif()

set(configure_args)
if(EXISTS ${BUILD_DIR}/CMakeCache.txt)
  # An existing build is packaged as it is configured (CI packages the build its
  # tests just ran), as long as it is an optimised one without sanitizers; an empty
  # build type is the project's default, RelWithDebInfo.
  file(STRINGS ${BUILD_DIR}/CMakeCache.txt build_type REGEX "^CMAKE_BUILD_TYPE:")
  file(STRINGS ${BUILD_DIR}/CMakeCache.txt sanitize REGEX "^HOIST_SANITIZE:")
  string(REGEX REPLACE "^[^=]*=" "" build_type "${build_type}")
  if(NOT build_type MATCHES "^(|Release|RelWithDebInfo|MinSizeRel)$" OR sanitize MATCHES "=ON$")
    message(FATAL_ERROR "${BUILD_DIR} is not a release build (build type '${build_type}', "
                        "${sanitize}): choose another BUILD_DIR")
  endif()
else()
  # A new build: release binaries with debug information, which CPack strips; no
  # tests; no -Werror (the test build enforces warnings), so that a new compiler's
  # new warning cannot stop a release.
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${config} -DHOIST_BUILD_TESTS=OFF
                             -DHOIST_WERROR=OFF)
  if(generator STREQUAL DEB)
    # Debian's hardening flags (fortify, stack protector, full RELRO, bind now), as
    # a Debian package build would use them.
    set(ENV{DEB_BUILD_MAINT_OPTIONS} hardening=+all)
    foreach(kind IN ITEMS CPPFLAGS CXXFLAGS LDFLAGS)
      execute_process(COMMAND dpkg-buildflags --get ${kind} WORKING_DIRECTORY ${source_dir}
                      OUTPUT_VARIABLE ${kind} OUTPUT_STRIP_TRAILING_WHITESPACE
                      COMMAND_ERROR_IS_FATAL ANY)
    endforeach()
    list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CPPFLAGS} ${CXXFLAGS}"
                               "-DCMAKE_EXE_LINKER_FLAGS=${LDFLAGS}")
  endif()
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -S ${source_dir} -B ${BUILD_DIR} ${configure_args}
                        ${CONFIGURE_ARGS}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --config ${config} -j ${JOBS}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_CPACK_COMMAND} -G ${generator} -C ${config}
                WORKING_DIRECTORY ${BUILD_DIR}
                COMMAND_ERROR_IS_FATAL ANY)
