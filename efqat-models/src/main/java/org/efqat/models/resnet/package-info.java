/** ResNet-20 (He et al. 2016, CIFAR layout) with PyTorch-compatible parameter names. */
package org.efqat.models.resnet;
