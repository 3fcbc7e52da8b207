/**
 * Residual networks (He et al. 2016) with PyTorch-compatible parameter names: ResNet-20 in the
 * CIFAR layout ({@link org.efqat.models.resnet.ResNet20}) and ResNet-50 in torchvision's ImageNet
 * layout ({@link org.efqat.models.resnet.ResNet50}).
 */
package org.efqat.models.resnet;
