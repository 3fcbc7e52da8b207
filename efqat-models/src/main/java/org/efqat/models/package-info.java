/**
 * Model builders (MLP, CNN, ResNet-20) and datasets (IDX, CIFAR binary, synthetic) for EfQAT
 * experiments. The builders and readers arrive with the engine (issue 3); this module already
 * takes part in the build so that experiments depend on it from the start.
 */
package org.efqat.models;
