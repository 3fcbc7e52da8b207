/**
 * The {@code resnet20} and {@code resnet50} architectures: residual networks (He et al. 2016) with
 * PyTorch-compatible parameter names, so that PyTorch checkpoints load directly. ResNet-20 follows
 * the CIFAR layout ({@link org.efqat.models.resnet.ResNet20}), ResNet-50 torchvision's ImageNet
 * layout ({@link org.efqat.models.resnet.ResNet50}); each has its options record and its provider
 * here. This package depends only on efqat-core's layers and {@link org.efqat.models.init}.
 */
package org.efqat.models.resnet;
