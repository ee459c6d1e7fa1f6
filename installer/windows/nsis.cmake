# Windows: hoist.exe with the Qt and C++ runtime it needs, in an NSIS installer
# with Start menu and desktop shortcuts and an uninstaller.
if(NOT TARGET hoist)
  return()
endif()

# The executable's icon, linked into it as a Windows resource.
configure_file(${CMAKE_CURRENT_LIST_DIR}/hoist.rc.in ${CMAKE_CURRENT_BINARY_DIR}/hoist.rc @ONLY)
target_sources(hoist PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/hoist.rc)

# Third-party DLLs the executable links (QCoro, QtKeychain, libcurl, ...), found next to Qt
# or under CMAKE_PREFIX_PATH; Windows' own DLLs stay out.
get_target_property(HOIST_QMAKE Qt6::qmake IMPORTED_LOCATION)
get_filename_component(HOIST_QT_BIN_DIR "${HOIST_QMAKE}" DIRECTORY)
set(HOIST_DLL_DIRS ${HOIST_QT_BIN_DIR})
foreach(prefix IN LISTS CMAKE_PREFIX_PATH)
  list(APPEND HOIST_DLL_DIRS ${prefix}/bin)
endforeach()
install(TARGETS hoist
        RUNTIME_DEPENDENCIES
          DIRECTORIES ${HOIST_DLL_DIRS}
          PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
          POST_EXCLUDE_REGEXES ".*[/\\\\][Ss]ystem32[/\\\\].*"
        RUNTIME DESTINATION bin COMPONENT app)

# windeployqt adds what linking cannot show: Qt's plugins (platform, styles, image
# formats, TLS backends). It runs on the staged copy, inside the package tree.
find_program(HOIST_WINDEPLOYQT windeployqt HINTS ${HOIST_QT_BIN_DIR} REQUIRED)
install(CODE "
  execute_process(
    COMMAND \"${HOIST_WINDEPLOYQT}\" --no-translations --no-compiler-runtime
            \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/hoist.exe\"
    COMMAND_ERROR_IS_FATAL ANY)" COMPONENT app)

# The MSVC runtime DLLs, beside the executable so no separate redistributable is needed.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT app)
include(InstallRequiredSystemLibraries)

set(CPACK_GENERATOR NSIS)
set(CPACK_NSIS_PACKAGE_NAME Hoist)
set(CPACK_NSIS_DISPLAY_NAME Hoist)
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES64")
file(TO_NATIVE_PATH ${HOIST_RESOURCES_DIR}/icons/hoist.ico HOIST_ICO)
set(CPACK_NSIS_MUI_ICON ${HOIST_ICO})
set(CPACK_NSIS_MUI_UNIICON ${HOIST_ICO})
set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\hoist.exe)
set(CPACK_NSIS_URL_INFO_ABOUT "${HOIST_HOMEPAGE}")
set(CPACK_NSIS_CONTACT "${HOIST_PACKAGE_MAINTAINER}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
set(CPACK_NSIS_IGNORE_LICENSE_PAGE ON)
set(CPACK_NSIS_MUI_FINISHPAGE_RUN hoist.exe)
# Start menu entry (CPACK_PACKAGE_EXECUTABLES) plus an unconditional desktop
# shortcut: CPack's own desktop option hides behind the PATH page, unticked.
set(CPACK_PACKAGE_EXECUTABLES hoist Hoist)
set(CPACK_NSIS_CREATE_ICONS_EXTRA
    "CreateShortCut '$DESKTOP\\\\Hoist.lnk' '$INSTDIR\\\\bin\\\\hoist.exe'")
set(CPACK_NSIS_DELETE_ICONS_EXTRA "Delete '$DESKTOP\\\\Hoist.lnk'")
