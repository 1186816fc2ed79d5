// Executables and scripts under the extension of a data file: nothing a personal export
// holds as a .json, .jpg or .csv runs. `extension` is the entry's, lowercased, without the dot.

private rule data_extension
{
    condition:
        extension matches /^(json|csv|tsv|txt|jpe?g|png|gif|webp|heic|mp4|mov|m4v|mp3|wav|pdf|html?|mbox|eml|ics|vcf|xml|kml|js)$/
}

rule pe_executable_disguised
{
    meta:
        description = "a Windows PE executable under a data file's extension"
    condition:
        data_extension and uint16(0) == 0x5A4D and filesize > 0x40 and uint32(uint32(0x3C)) == 0x00004550
}

rule elf_executable_disguised
{
    meta:
        description = "an ELF executable under a data file's extension"
    condition:
        data_extension and uint32(0) == 0x464C457F
}

rule macho_executable_disguised
{
    meta:
        description = "a Mach-O executable under a data file's extension"
    condition:
        data_extension and (uint32(0) == 0xFEEDFACE or uint32(0) == 0xFEEDFACF or uint32(0) == 0xCEFAEDFE or uint32(0) == 0xCFFAEDFE)
}

rule shell_script_disguised
{
    meta:
        description = "a shell script under a data file's extension"
    strings:
        $sh = "#!/bin/sh"
        $bash = "#!/bin/bash"
        $env = "#!/usr/bin/env "
    condition:
        data_extension and ($sh at 0 or $bash at 0 or $env at 0)
}

rule powershell_disguised
{
    meta:
        description = "a PowerShell command line under a data file's extension"
    strings:
        $ps = "powershell" nocase
        $enc = /-(e|enc|encodedcommand)\s+[A-Za-z0-9+\/=]{16,}/ nocase
        $iex = /(invoke-expression|iex)\s*\(/ nocase
        $download = "DownloadString(" nocase
    condition:
        data_extension and $ps in (0..1024) and ($enc or $iex or $download)
}

rule windows_script_host_disguised
{
    meta:
        description = "VBScript or JScript driving Windows Script Host under a data file's extension"
    strings:
        $shell = "WScript.Shell" nocase
        $activex = "ActiveXObject" nocase
        $create = "CreateObject(" nocase
    condition:
        data_extension and $shell and ($activex or $create)
}

rule hta_application
{
    meta:
        description = "an HTML application (HTA): HTML that runs with the user's rights"
    strings:
        $hta = "<hta:application" nocase
    condition:
        $hta
}
