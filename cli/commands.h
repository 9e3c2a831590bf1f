/*
 * The commands' entry points: main.c's command table names them, each cmd_*.c defines
 * one. Each takes the command's arguments with argv[0] its name and returns the exit code.
 */
#ifndef EXHUNT_CLI_COMMANDS_H
#define EXHUNT_CLI_COMMANDS_H

int cmd_scan(int argc, char **argv);    /* scan and dump (cmd_scan.c); argv[0] says which */
int cmd_build(int argc, char **argv);   /* cmd_build.c */
int cmd_formats(int argc, char **argv); /* cmd_formats.c */
int cmd_rules(int argc, char **argv);   /* cmd_rules.c */
int cmd_probe(int argc, char **argv);   /* cmd_probe.c */

#endif
