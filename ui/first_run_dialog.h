#pragma once

#include <QDialog>
#include <QUrl>

class QPushButton;

namespace hoist {

class Configuration;
class ServerForm;

// Shown when no server is configured yet: a few friendly words and the server
// form, prefilled with the local hoistd that the README's run command starts.
// When that server's development token file is there, offers to use it.
class FirstRunDialog final : public QDialog {
    Q_OBJECT
  public:
    // `devTokenFile` is where a local hoistd writes its development token.
    explicit FirstRunDialog(QString devTokenFile, QWidget* parent = nullptr);

    // When `configuration` has no server yet, asks for one (modal) and saves the
    // answer. False only when the person closed the dialog instead.
    static bool runIfNeeded(Configuration& configuration, const QString& devTokenFile);
    // hoistd's data folder under XDG_DATA_HOME (~/.local/share/hoistd/dev-token).
    static QString defaultDevTokenFile();
    static QUrl localServer();

    QUrl serverUrl() const;
    QString token() const;
    ServerForm& serverForm() { return *m_server; }
    // Visible once the development token file was read.
    QPushButton& useDevTokenButton() { return *m_useDevToken; }

  private:
    ServerForm* m_server;
    QPushButton* m_useDevToken;
    QString m_devToken;
};

} // namespace hoist
