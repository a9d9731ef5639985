/* Support shared by the unit tests. */
#ifndef CR_TEST_UNIT_H
#define CR_TEST_UNIT_H

/* Removes path: a file, or a folder with everything below it. */
void cr_test_remove_tree(const char *path);

#endif
