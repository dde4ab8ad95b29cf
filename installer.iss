; Inno Setup 6 script: the Windows installer of StreetLedger (街道城管台账).
;
; Build the frozen folder first, then compile (on Windows):
;   python packaging\build.py                      -> dist\StreetLedger, build\version.iss
;   ISCC installer.iss                             version from build\version.iss
;   ISCC /DAppVersion=0.1.0 installer.iss          or given on the command line
; Output: build\installer\StreetLedger-<version>-setup.exe
;
; Per-user install without admin rights ({autopf} is %LOCALAPPDATA%\Programs); the wizard
; offers "install for all users" with elevation. The ledger itself lives in
; %LOCALAPPDATA%\StreetLedger, which this installer never writes: an upgrade leaves it alone
; and the uninstaller keeps it unless the clerk asks to remove it.
; Saved as UTF-8 with a BOM, which ISCC needs to read the Chinese text.

#ifndef AppVersion
  #include "build\version.iss"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif

#define AppGuid "7F8F7283-56CF-45F7-BB4C-D795C0590382"
#define AppName "街道城管台账"
#define AppShortName "StreetLedger"
#define AppExeName "StreetLedger.exe"
; The folder PyInstaller writes (packaging/streetledger.spec: COLLECT name=APP_NAME).
#define DistDir "dist\StreetLedger"
; The running app holds this mutex (desktop/single_instance.py MUTEX_NAME).
#define AppMutexName "StreetLedger.SingleInstance"
#define DataFolderName "StreetLedger"

[Setup]
; Never change AppId: it is how a new version finds and upgrades the installed one.
AppId={{{#AppGuid}}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppShortName}
AppCopyright=© {#AppShortName}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName} {#AppShortName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\{#AppShortName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
UsePreviousPrivileges=yes
UsePreviousAppDir=yes
UsePreviousTasks=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
AppMutex={#AppMutexName},Global\{#AppMutexName}
SetupMutex={#AppShortName}.Setup
CloseApplications=yes
RestartApplications=no
OutputDir=build\installer
OutputBaseFilename={#AppShortName}-{#AppVersion}-setup
SetupIconFile=resources\icons\streetledger.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "resources\installer\ChineseSimplified.isl"

[CustomMessages]
chinesesimplified.UpgradeNote=这台计算机上已安装版本 %1，将升级到版本 %2。%n%n台账数据保存在 %3，升级不会改动它。%n%n请先关闭街道城管台账，再继续安装。
chinesesimplified.DowngradeQuestion=这台计算机上已安装较新的版本 %1，而本安装程序是版本 %2。%n%n旧版本程序可能无法打开新版本用过的台账。是否仍要继续安装？
chinesesimplified.RemoveDataQuestion=是否同时删除台账数据？%n%n%1%n%n其中有台账数据库、备份和设置。删除后无法恢复，请先确认已另行备份。%n%n选择“否”将保留这些数据，以后重新安装即可继续使用。
chinesesimplified.ProgramComment=街道城管科台账：商户、门前三包、户外广告、垃圾分类、巡查与通知书
chinesesimplified.CommandLineComment=街道城管台账命令行（备份、导出等）

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program folder's bundled libraries wholesale, so no module of the
; old version lingers beside the new one. The data folder is elsewhere and never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "{cm:ProgramComment}"
Name: "{autoprograms}\{#AppName} 使用说明"; Filename: "{app}\_internal\resources\help\index.html"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "{cm:ProgramComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  UninstallKey = 'Software\Microsoft\Windows\CurrentVersion\Uninstall\{{#AppGuid}}_is1';

var
  PreviousVersion: String;
  RemoveData: Boolean;

{ The per-user ledger folder, as desktop/config.py data_dir() finds it on Windows. }
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataFolderName}');
end;

{ The version of an earlier install with the same AppId, for this user or for all users. }
function InstalledVersion(): String;
begin
  Result := '';
  if not RegQueryStringValue(HKCU, UninstallKey, 'DisplayVersion', Result) then
    if not RegQueryStringValue(HKLM, UninstallKey, 'DisplayVersion', Result) then
      Result := '';
end;

{ -1, 0 or 1 as A is older than, the same as or newer than B; unparsable counts as older. }
function CompareVersionStrings(A, B: String): Integer;
var
  PackedA, PackedB: Int64;
begin
  if not StrToVersion(A, PackedA) then
    PackedA := 0;
  if not StrToVersion(B, PackedB) then
    PackedB := 0;
  Result := ComparePackedVersion(PackedA, PackedB);
  if Result > 0 then
    Result := 1
  else if Result < 0 then
    Result := -1;
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  PreviousVersion := InstalledVersion();
  if (PreviousVersion <> '') and
     (CompareVersionStrings(PreviousVersion, '{#AppVersionNumeric}') > 0) then
    Result := SuppressibleMsgBox(FmtMessage(CustomMessage('DowngradeQuestion'),
                [PreviousVersion, '{#AppVersion}']),
              mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
end;

procedure InitializeWizard();
begin
  { An upgrade in place: same AppId, so the folder, shortcuts and tasks of the last install
    are reused; the welcome page says what happens to the data. }
  if PreviousVersion <> '' then
    WizardForm.WelcomeLabel2.Caption := FmtMessage(CustomMessage('UpgradeNote'),
      [PreviousVersion, '{#AppVersion}', DataDir()]);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  case CurUninstallStep of
    usUninstall:
      begin
        { Kept by default (and always in a silent uninstall, e.g. the one an upgrade by
          another installer might run): the ledger is the office's record. }
        RemoveData := False;
        if DirExists(DataDir()) and not UninstallSilent() then
          RemoveData := MsgBox(FmtMessage(CustomMessage('RemoveDataQuestion'), [DataDir()]),
                               mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
      end;
    usPostUninstall:
      if RemoveData then
      begin
        DelTree(DataDir(), True, True, True);
        { Window sizes and other machine settings (QSettings) go with the data. }
        RegDeleteKeyIncludingSubkeys(HKCU, 'Software\{#AppShortName}');
      end;
  end;
end;
