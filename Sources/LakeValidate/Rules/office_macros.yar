// Office documents that carry macros.

rule office_macro_ooxml
{
    meta:
        description = "an OOXML document (docm, xlsm, pptm...) holding a VBA project"
    strings:
        $vba = "vbaProject.bin"
    condition:
        uint32(0) == 0x04034B50 and $vba
}

rule office_macro_ole
{
    meta:
        description = "an OLE compound document (doc, xls, ppt) holding a VBA project"
    strings:
        $project = "_VBA_PROJECT" wide
        $vba = "VBA" wide
    condition:
        uint32(0) == 0xE011CFD0 and uint32(4) == 0xE11AB1A1 and $project and $vba
}
