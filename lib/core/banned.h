/*
 * Functions with safer replacements in liblp or libc.  Using one is a
 * compile error (after git's banned.h).
 */
#ifndef LP_BANNED_H
#define LP_BANNED_H

/* Declare the real ones first, so the macros below do not mangle them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LP_BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) LP_BANNED(strcpy)
#undef strcat
#define strcat(x, y) LP_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) LP_BANNED(strncpy)
#undef sprintf
#define sprintf(...) LP_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) LP_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) LP_BANNED(strtok)
#undef gmtime
#define gmtime(t) LP_BANNED(gmtime)
#undef localtime
#define localtime(t) LP_BANNED(localtime)
#undef atoi
#define atoi(x) LP_BANNED(atoi)

#endif
