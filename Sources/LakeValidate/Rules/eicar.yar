// The EICAR anti-virus test file: its 68 bytes at the start, at most 128 bytes in all
// (trailing whitespace allowed), as eicar.org defines it.
rule eicar_test_file
{
    meta:
        description = "the EICAR anti-virus test file"
    strings:
        $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    condition:
        $eicar at 0 and filesize <= 128
}
