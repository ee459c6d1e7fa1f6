# macOS: Hoist.app (Info.plist, icon, Qt frameworks and plugins inside) on a
# drag-and-drop .dmg.
if(NOT TARGET hoist)
  return()
endif()

set_target_properties(hoist PROPERTIES
  MACOSX_BUNDLE ON
  OUTPUT_NAME Hoist
  MACOSX_BUNDLE_INFO_PLIST ${CMAKE_CURRENT_LIST_DIR}/Info.plist.in
  MACOSX_BUNDLE_BUNDLE_NAME Hoist
  MACOSX_BUNDLE_GUI_IDENTIFIER io.github.hoist.Hoist
  MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
  MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
  MACOSX_BUNDLE_ICON_FILE hoist.icns)

# The .icns comes from the checked-in PNG renders of hoist.svg; iconutil wants
# them named by point size and scale.
set(iconset ${CMAKE_CURRENT_BINARY_DIR}/hoist.iconset)
set(png ${HOIST_RESOURCES_DIR}/icons/png)
set(copy_renders)
foreach(entry IN ITEMS "16;16x16" "32;16x16@2x" "32;32x32" "64;32x32@2x" "128;128x128"
                       "256;128x128@2x" "256;256x256" "512;256x256@2x" "512;512x512")
  list(GET entry 0 pixels)
  list(GET entry 1 name)
  list(APPEND copy_renders COMMAND ${CMAKE_COMMAND} -E copy ${png}/hoist-${pixels}.png
                                   ${iconset}/icon_${name}.png)
endforeach()
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/hoist.icns
  COMMAND ${CMAKE_COMMAND} -E make_directory ${iconset}
  ${copy_renders}
  COMMAND iconutil --convert icns --output ${CMAKE_CURRENT_BINARY_DIR}/hoist.icns ${iconset}
  DEPENDS ${png}/hoist-16.png ${png}/hoist-32.png ${png}/hoist-64.png ${png}/hoist-128.png
          ${png}/hoist-256.png ${png}/hoist-512.png
  VERBATIM)
add_custom_target(hoist_icns ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/hoist.icns)

install(TARGETS hoist BUNDLE DESTINATION . COMPONENT app)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hoist.icns
        DESTINATION Hoist.app/Contents/Resources COMPONENT app)

# macdeployqt copies the Qt frameworks and plugins into the staged bundle and
# rewrites the install names to point inside it; it must run after the icon is in.
get_target_property(HOIST_QMAKE Qt6::qmake IMPORTED_LOCATION)
get_filename_component(HOIST_QT_BIN_DIR "${HOIST_QMAKE}" DIRECTORY)
find_program(HOIST_MACDEPLOYQT macdeployqt HINTS ${HOIST_QT_BIN_DIR} REQUIRED)
install(CODE "
  execute_process(
    COMMAND \"${HOIST_MACDEPLOYQT}\" \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/Hoist.app\"
    COMMAND_ERROR_IS_FATAL ANY)" COMPONENT app)

set(CPACK_GENERATOR DragNDrop)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DMG_VOLUME_NAME Hoist)
set(CPACK_DMG_FORMAT UDZO)
