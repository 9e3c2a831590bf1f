/*
 * Post-exploitation files (indicators.md 4.1): LSASS minidumps and the commands that
 * make them, DearCry ransomware, reconnaissance CABs.
 */

rule exh_lsass_minidump
{
    meta:
        level = "high"
        family = "LSASS memory dump"
        title = "minidump of lsass.exe: credentials taken from memory"
        tags = "attack.t1003.001"
    strings:
        $lsass = "lsass.exe" nocase wide
    condition:
        uint32(0) == 0x504D444D and $lsass
}

rule exh_comsvcs_minidump_command
{
    meta:
        level = "high"
        family = "LSASS dump command (comsvcs.dll MiniDump)"
        title = "command that dumps a process with comsvcs.dll MiniDump (LSASS credential theft)"
        tags = "attack.t1003.001"
    strings:
        $plain = /comsvcs(\.dll)?["']?\s{0,2},?\s{0,2}(#24|MiniDump)/ nocase ascii wide
        $b1 = "comsvcs.dll MiniDump" base64
        $b2 = "comsvcs.dll, MiniDump" base64
        $b3 = "comsvcs.dll MiniDump" base64wide
    condition:
        filesize < 4MB and any of them
}

rule exh_dearcry
{
    meta:
        level = "critical"
        family = "DearCry ransomware"
        title = "DearCry ransomware executable (March 2021, spread through ProxyLogon)"
        tags = "attack.t1486"
    strings:
        $marker = "DEARCRY!"
        $s1 = "/readme.txt"
        $s2 = "EncryptFile.exe.pdb" nocase
        $s3 = "Your file has been encrypted!" nocase
        $s4 = "C:\\Users\\john\\" nocase
        $s5 = "msupdate" nocase
    condition:
        uint16(0) == 0x5A4D and filesize < 4MB and ($marker or 3 of ($s*))
}

rule exh_recon_cab
{
    meta:
        level = "high"
        family = "reconnaissance CAB"
        title = "cabinet file holding ip.txt, arp.txt and the SYSTEM and SECURITY hives: collected for exfiltration"
        tags = "attack.t1560.001 attack.t1003.002"
    strings:
        $ip = "ip.txt" nocase
        $arp = "arp.txt" nocase
        $sys = "system" nocase
        $sec = "security" nocase
    condition:
        uint32be(0) == 0x4D534346 and filesize < 10MB and $ip in (0..200) and $arp in (0..200) and
        $sys in (0..200) and $sec in (0..200)
}
