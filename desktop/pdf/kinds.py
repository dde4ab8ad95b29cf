"""The printable document kinds, by the name the command line uses."""

DOCUMENT_KINDS: dict[str, str] = {
    "agreement": "门前三包责任书",
    "notice": "责令（限期）改正通知书",
    "delivery": "送达回证（按通知书编号）",
    "recheck": "整改复查意见书",
    "permit": "招牌设置许可文书（按申请编号或决定书编号：受理通知书、许可决定书）",
}
