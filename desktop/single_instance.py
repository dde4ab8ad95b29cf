"""One running StreetLedger per user and ledger: a second start hands over and exits.

The first process listens on a local socket (a named pipe on Windows) whose name is derived
from the user and the ledger. A second start connects, sends one line ("activate") and
exits with 0; the first brings its window to the front. On Windows the first process also
holds a named mutex, so the installer (AppMutex in installer.iss) can tell that the program
is running before it replaces its files.
"""

from __future__ import annotations

import ctypes
import functools
import getpass
import hashlib
import os
import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from db.engine import normalize_url

MUTEX_NAME = "StreetLedger.SingleInstance"  # installer.iss: AppMutex=<this>,Global\<this>
ACTIVATE = "activate"
_CONNECT_TIMEOUT_MS = 500
_WRITE_TIMEOUT_MS = 1000
_ASFW_ANY = -1  # AllowSetForegroundWindow: any process may take the foreground


def instance_key(db_url: str) -> str:
    """The ledger's identity: a SQLite file by its absolute path, anything else by its URL."""
    try:
        url = make_url(normalize_url(db_url))
    except ArgumentError:
        return db_url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = os.path.normcase(str(Path(str(url.database)).expanduser().resolve()))
        return f"sqlite:{path}"
    return url.render_as_string(hide_password=True)


def server_name(key: str = "", user: str | None = None) -> str:
    """A local-socket name per user and key; pipe names on Windows are seen by all sessions."""
    if user is None:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):  # no login name in the environment
            user = str(Path.home())
    digest = hashlib.sha256(f"{user}\0{key}".encode()).hexdigest()[:20]
    return f"{MUTEX_NAME}-{digest}"


class SingleInstance(QObject):
    """Call start() before building the window; connect message_received to bring it forward."""

    message_received = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}
        self._mutexes: list[int] = []
        self._window: QWidget | None = None
        self.message_received.connect(self._activate)

    @property
    def is_primary(self) -> bool:
        return self._server is not None and self._server.isListening()

    def start(self, message: str = ACTIVATE) -> bool:
        """True when this process is the first and now listens; False when another instance
        is running and has been sent `message` (the caller should then exit)."""
        if self.send(message):
            return False
        # Nobody answered. A socket file left behind by a crash would block listen() on Unix.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        # Only this user may connect (a pipe ACL on Windows, file permissions elsewhere).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Another process started at the same instant and won; hand over to it.
            if self.send(message):
                return False
            # Cannot listen at all (an odd temp folder): run anyway, without the guard.
            return True
        server.newConnection.connect(self._accept)
        self._server = server
        self._hold_windows_mutex()
        return True

    def send(self, message: str) -> bool:
        """Deliver one line to the running instance; False when none is listening."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            return False
        _allow_foreground_switch()
        socket.write(message.encode("utf-8") + b"\n")
        delivered = socket.waitForBytesWritten(_WRITE_TIMEOUT_MS) or socket.bytesToWrite() == 0
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(_WRITE_TIMEOUT_MS)
        return delivered

    def follow(self, window: QWidget | None) -> None:
        """The window to bring forward when another start hands over (replaces the last)."""
        self._window = window

    def _activate(self, _message: str) -> None:
        window = self._window
        if window is None or not shiboken6.isValid(window) or not window.isVisible():
            # No main window yet (signing in) or any more: the dialog the clerk is in.
            window = QApplication.activeModalWidget() or QApplication.activeWindow()
        if window is not None:
            bring_to_front(window)

    def close(self) -> None:
        """Stop listening (the window is gone); a later start() may listen again."""
        # Sockets still open die with the server; forgetting them first turns the signals
        # they send while being destroyed into no-ops.
        self._buffers.clear()
        if self._server is not None:
            # No deleteLater(): the server is this object's child and goes with it; a deferred
            # delete outliving a garbage-collected owner crashes PySide.
            self._server.close()
            self._server = None
        _release_windows_mutexes(self._mutexes)

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                break
            self._buffers[socket] = b""
            read = functools.partial(self._read, socket)
            socket.readyRead.connect(read)
            socket.disconnected.connect(functools.partial(self._drop, socket))
            read()  # the line may have arrived before the connection was taken

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        *lines, rest = data.split(b"\n")
        self._buffers[socket] = rest
        for line in lines:
            text = line.decode("utf-8", errors="replace").strip()
            if text:
                self.message_received.emit(text)

    def _drop(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        self._read(socket)
        del self._buffers[socket]
        socket.deleteLater()

    def _hold_windows_mutex(self) -> None:
        if sys.platform != "win32":
            return
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateMutexW.restype = ctypes.c_void_p
        # The session's name and the Global\ one: Inno Setup checks both (see installer.iss).
        for name in (MUTEX_NAME, "Global\\" + MUTEX_NAME):
            handle = kernel32.CreateMutexW(None, False, name)
            if handle:
                self._mutexes.append(handle)


def _release_windows_mutexes(handles: list[int]) -> None:
    if sys.platform != "win32" or not handles:
        return
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
    for handle in handles:
        kernel32.CloseHandle(handle)
    handles.clear()


def _allow_foreground_switch() -> None:
    # Windows lets only the foreground process hand the foreground on; without this the
    # first instance's window would merely flash in the taskbar.
    if sys.platform != "win32":
        return
    user32 = ctypes.WinDLL("user32", use_last_error=True)
    user32.AllowSetForegroundWindow(_ASFW_ANY)


def bring_to_front(window: QWidget) -> None:
    """Show the window as the clerk left it (maximised stays maximised), raised and active."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        if state & Qt.WindowState.WindowMaximized:
            window.showMaximized()
        else:
            window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()
