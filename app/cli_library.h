#pragma once

#include "settings.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QStringList>

#include <QCoroTask>

// `hoist ls`, `hoist get` and `hoist rm`: the user's files on the server
// (docs/protocol.md, "Files"). Results go to stdout, one line per file (JSON with
// --json), problems to stderr; each command answers the exit status.
class CliLibrary final {
  public:
    CliLibrary(hoist::Settings settings, bool json);

    QCoro::Task<int> list();
    // Downloads into `output` (default: the file's name) through `output`.part, which
    // an interrupted run leaves behind and the next one continues with a Range
    // request; the whole file is checked against the server's SHA-256 before it
    // takes its name.
    QCoro::Task<int> get(QString fileId, QString output);
    QCoro::Task<int> remove(QStringList fileIds);

  private:
    QNetworkRequest request(const QString& path) const;

    hoist::Settings m_settings;
    bool m_json;
    QNetworkAccessManager m_network;
};
