/**
 * Reading catalog files (YAML or JSON, bundled or from user directories), merging user overrides
 * over bundled entries, and validating the result. Every problem is collected and reported at
 * once, each with its file, entry and field; a catalog set with any problem is never returned.
 *
 * <p>Depends on the model and on Jackson. Nothing in the model depends on it.
 */
package dev.faultline.catalog.load;
