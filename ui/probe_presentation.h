#pragma once

#include "server_probe.h"

#include <QString>
#include <QUrl>

namespace hoist {

// What a connection test found, in one sentence for a person.
QString probeSentence(const ServerProbe::Report& report, const QUrl& server,
                      Protocol protocol = Protocol::Native);

} // namespace hoist
