<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>cli</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示本帮助并退出</translation>
    </message>
    <message>
        <source>unknown language {code!r} (choose zh_CN or en)</source>
        <translation>未知的语言 {code!r}（请选择 zh_CN 或 en）</translation>
    </message>
    <message>
        <source>cnnviz: error: {message}</source>
        <translation>cnnviz：错误：{message}</translation>
    </message>
    <message>
        <source>Watch a convolutional network learn. With no command, opens the app.</source>
        <translation>观看卷积神经网络的学习过程。不带命令时打开桌面程序。</translation>
    </message>
    <message>
        <source>open the app with a lecture preset</source>
        <translation>用一个课堂预设打开程序</translation>
    </message>
    <message>
        <source>dataset cache folder</source>
        <translation>数据集缓存目录</translation>
    </message>
    <message>
        <source>language of the app and of these messages: zh_CN or en</source>
        <translation>程序和这些提示的语言：zh_CN 或 en</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>input nested too deeply</source>
        <translation>输入嵌套过深</translation>
    </message>
    <message>
        <source>cnnviz: interrupted</source>
        <translation>cnnviz：已中断</translation>
    </message>
</context>
<context>
    <name>lessons</name>
    <message>
        <source>“一个新的激活函数——Relu” (a new activation function, ReLU): f(x) = max(0, x)</source>
        <translation>“一个新的激活函数——Relu”: f(x) = max(0, x)</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>the activation b = f(a) of a layer</source>
        <translation>一层的激活值 b = f(a)</translation>
    </message>
    <message>
        <source>§2.1: out = 1 / (1 + e⁻ⁿᵉᵗ), ∂out/∂net = out(1 − out)</source>
        <translation>§2.1: out = 1 / (1 + e⁻ⁿᵉᵗ), ∂out/∂net = out(1 − out)</translation>
    </message>
    <message>
        <source>§2.1: the output of a layer xˡ = f(uˡ), f the logistic function or tanh</source>
        <translation>§2.1: 一层的输出 xˡ = f(uˡ), f 为 logistic 函数或 tanh</translation>
    </message>
    <message>
        <source>§2.1: xˡ = f(uˡ)</source>
        <translation>§2.1: xˡ = f(uˡ)</translation>
    </message>
    <message>
        <source>LeNet-5&apos;s squashing function f(a) = A tanh(S a), A = 1.7159, S = ⅔</source>
        <translation>LeNet-5 的压缩函数 f(a) = A tanh(S a), A = 1.7159, S = ⅔</translation>
    </message>
    <message>
        <source>ReLU passes positive net input and blocks the rest</source>
        <translation>ReLU 让正的净输入通过，挡住其余的</translation>
    </message>
    <message>
        <source>Leaky ReLU lets a little of the negative side through</source>
        <translation>Leaky ReLU 让负的一侧漏过一点</translation>
    </message>
    <message>
        <source>a = f(u) = u if u &gt; 0, else α·u</source>
        <translation>a = f(u) = u（u &gt; 0 时），否则 α·u</translation>
    </message>
    <message>
        <source>The sigmoid squashes the net input into (0, 1)</source>
        <translation>sigmoid 把净输入压缩到 (0, 1)</translation>
    </message>
    <message>
        <source>tanh squashes the net input into (−1, 1)</source>
        <translation>tanh 把净输入压缩到 (−1, 1)</translation>
    </message>
    <message>
        <source>LeCun&apos;s scaled tanh squashes the net input into (−1.7159, 1.7159)</source>
        <translation>LeCun 的缩放 tanh 把净输入压缩到 (−1.7159, 1.7159)</translation>
    </message>
    <message>
        <source>f′(u) = 1 if u &gt; 0, else 0</source>
        <translation>f′(u) = 1（u &gt; 0 时），否则 0</translation>
    </message>
    <message>
        <source>f′(u) = 1 if u &gt; 0, else α</source>
        <translation>f′(u) = 1（u &gt; 0 时），否则 α</translation>
    </message>
    <message>
        <source>(u and a alike)</source>
        <translation>（u 与 a 相同）</translation>
    </message>
    <message>
        <source>The activation {kind}</source>
        <translation>激活函数 {kind}</translation>
    </message>
    <message>
        <source>f′(u{pos}), used on the way back</source>
        <translation>f′(u{pos})，反向传播时使用</translation>
    </message>
    <message>
        <source>activation a</source>
        <translation>激活值 a</translation>
    </message>
    <message>
        <source>The backward pass will multiply δ by {rule}.</source>
        <translation>反向传播时将把 δ 乘以 {rule}。</translation>
    </message>
    <message>
        <source>Back through an activation</source>
        <translation>反向经过激活函数</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s δᴸ = f′(uᴸ) ∘ (y − t): the loss phase gave (y − t)/N, this phase multiplies by f′(uᴸ).</source>
        <translation>Bouvrie 的 δᴸ = f′(uᴸ) ∘ (y − t)：损失阶段给出 (y − t)/N，本阶段乘以 f′(uᴸ)。</translation>
    </message>
    <message>
        <source>{name} (from above)</source>
        <translation>{name}（来自上一层）</translation>
    </message>
    <message>
        <source>“卷积层输出值的计算” (computing a conv layer&apos;s output), formula 4.4 (depth D, stride S, zero padding P)</source>
        <translation>“卷积层输出值的计算”，式 4.4（深度 D，步幅 S，补零 P）</translation>
    </message>
    <message>
        <source>the 4×4 image ∗ vertical Sobel example</source>
        <translation>4×4 图像 ∗ 竖直 Sobel 卷积核的例子</translation>
    </message>
    <message>
        <source>“卷积层误差项的传递” (the error through a conv layer): stride S, zeros inserted into δ; depth D; N filters, formula 5.3</source>
        <translation>“卷积层误差项的传递”：步幅 S，在 δ 中插入零；深度 D；N 个 filter，式 5.3</translation>
    </message>
    <message>
        <source>§3.1.1: the input gradient is a full convolution</source>
        <translation>§3.1.1: 输入的梯度是一次全卷积</translation>
    </message>
    <message>
        <source>“卷积层filter权重梯度的计算” (a filter&apos;s weight gradient): the input correlated with δ</source>
        <translation>“卷积层filter权重梯度的计算”：输入与 δ 做互相关</translation>
    </message>
    <message>
        <source>§3.1.1: ∂E/∂kᵢⱼ = Σᵤᵥ (δⱼ)ᵤᵥ (pᵢ)ᵤᵥ</source>
        <translation>§3.1.1: ∂E/∂kᵢⱼ = Σᵤᵥ (δⱼ)ᵤᵥ (pᵢ)ᵤᵥ</translation>
    </message>
    <message>
        <source>∂L/∂filter(x, y)</source>
        <translation>∂L/∂filter(x, y)</translation>
    </message>
    <message>
        <source>formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)</source>
        <translation>式 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)</translation>
    </message>
    <message>
        <source>§3.2.1: the full convolution with rot180(k)</source>
        <translation>§3.2.1: 与 rot180(k) 的全卷积</translation>
    </message>
    <message>
        <source> Connection table: output map {o} reads input maps {maps} only.</source>
        <translation> 连接表：输出特征图 {o} 只读取输入特征图 {maps}。</translation>
    </message>
    <message>
        <source>Convolution: the kernel times a patch of the input, summed</source>
        <translation>卷积：卷积核与输入的一块逐项相乘再求和</translation>
    </message>
    <message>
        <source>(sum over c, p, q; S = {S}, P = {P})</source>
        <translation>（对 c, p, q 求和；S = {S}，P = {P}）</translation>
    </message>
    <message>
        <source>net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>{n} products: {maps} input map(s) × {kh}×{kw} kernel.</source>
        <translation>{n} 个乘积：{maps} 个输入特征图 × {kh}×{kw} 卷积核。</translation>
    </message>
    <message>
        <source> With stride {S}, δ gets {zeros} zero(s) between its entries first: {skipped} kernel taps land on inserted zeros.</source>
        <translation> 步幅为 {S} 时，先在 δ 的各项之间插入 {zeros} 个零：有 {skipped} 个卷积核位置落在插入的零上。</translation>
    </message>
    <message>
        <source>Back through a convolution: a full convolution of δ with the rotated kernel</source>
        <translation>反向经过卷积层：δ 与旋转180度的卷积核做全卷积</translation>
    </message>
    <message>
        <source>∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])   (each input entry collects δ·W from every window that covered it)</source>
        <translation>∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])   （每个输入项收集覆盖过它的每个窗口的 δ·W）</translation>
    </message>
    <message>
        <source>δ below a convolution: full convolution with rot180(W), times f′(u)</source>
        <translation>卷积层下一层的 δ：与 rot180(W) 的全卷积，乘以 f′(u)</translation>
    </message>
    <message>
        <source>δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒ) ∘ f′(uˡ⁻¹)   (a &apos;full&apos; convolution; δ ↑S for stride S)</source>
        <translation>δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒ) ∘ f′(uˡ⁻¹)   （全卷积；步幅为 S 时 δ ↑S）</translation>
    </message>
    <message>
        <source>The conv backward phase above gave the full convolution; this phase multiplies by f′(u).</source>
        <translation>上面卷积层的反向阶段给出了全卷积；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>the other {k} products of sample {s}</source>
        <translation>样本 {s} 的其余 {k} 个乘积</translation>
    </message>
    <message>
        <source>the other {k} samples</source>
        <translation>其余 {k} 个样本</translation>
    </message>
    <message>
        <source>The filter gradient: the input correlated with δ</source>
        <translation>卷积核的梯度：输入与 δ 做互相关</translation>
    </message>
    <message>
        <source>Σ of {k} products δ·a = {v}</source>
        <translation>{k} 个乘积 δ·a 之和 = {v}</translation>
    </message>
    <message>
        <source>∂E/∂W of {layer} ({shape})</source>
        <translation>{layer} 的 ∂E/∂W（{shape}）</translation>
    </message>
    <message>
        <source>This is ∂E/∂a of the layer below; its activation&apos;s backward phase ({layer}) multiplies by f′(u) to make δ.</source>
        <translation>这是下一层的 ∂E/∂a；它的激活函数的反向阶段（{layer}）乘以 f′(u) 得到 δ。</translation>
    </message>
    <message>
        <source>§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ</source>
        <translation>§2.1 前向传播: uˡ = Wˡ xˡ⁻¹ + bˡ</translation>
    </message>
    <message>
        <source>forward propagation a = W·X</source>
        <translation>前向传播 a = W·X</translation>
    </message>
    <message>
        <source>fully connected layers: the maps are unrolled into one n-vector</source>
        <translation>全连接层：特征图被展开成一个 n 维向量</translation>
    </message>
    <message>
        <source>§2.2 Backpropagation pass: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)</source>
        <translation>§2.2 反向传播: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)</translation>
    </message>
    <message>
        <source>§2.2: the hidden-layer sensitivity</source>
        <translation>§2.2: 隐藏层的误差项</translation>
    </message>
    <message>
        <source>the hidden-layer sensitivity (Σ W·δ) × f′</source>
        <translation>隐藏层的误差项 (Σ W·δ) × f′</translation>
    </message>
    <message>
        <source>§2.2: ∂E/∂Wˡ = xˡ⁻¹ (δˡ)ᵀ, the outer product of input and δ</source>
        <translation>§2.2: ∂E/∂Wˡ = xˡ⁻¹ (δˡ)ᵀ，输入与 δ 的外积</translation>
    </message>
    <message>
        <source>§2.1: ∂E/∂w₅ = δₒ₁ · out_h₁</source>
        <translation>§2.1: ∂E/∂w₅ = δₒ₁ · out_h₁</translation>
    </message>
    <message>
        <source>A dense layer: weighted sum of all its inputs, plus a bias</source>
        <translation>全连接层：所有输入的加权和，加上偏置</translation>
    </message>
    <message>
        <source>Back through a dense layer: the weighted sum of the δ above</source>
        <translation>反向经过全连接层：上一层 δ 的加权和</translation>
    </message>
    <message>
        <source>Wᵀδ is what flows down; the layer&apos;s own gradient is ∂E/∂W = δ xᵀ.</source>
        <translation>向下传递的是 Wᵀδ；本层自己的梯度是 ∂E/∂W = δ xᵀ。</translation>
    </message>
    <message>
        <source>The sensitivity of a hidden layer: Wᵀδ from above, times f′(u)</source>
        <translation>隐藏层的误差项：来自上一层的 Wᵀδ，乘以 f′(u)</translation>
    </message>
    <message>
        <source>The dense backward phase above gave (Wᵀδ); this phase multiplies by f′(u).</source>
        <translation>上面全连接层的反向阶段给出了 (Wᵀδ)；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>The weight gradient of a dense layer: δ times the input</source>
        <translation>全连接层的权重梯度：δ 乘以输入</translation>
    </message>
    <message>
        <source>Flatten: the maps are unrolled into one vector</source>
        <translation>展平：特征图被展开成一个向量</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>(flattened to entry {k})</source>
        <translation>（展平为第 {k} 项）</translation>
    </message>
    <message>
        <source>Flatten backward: the vector δ is folded back into maps</source>
        <translation>展平的反向：把向量 δ 折回成特征图</translation>
    </message>
    <message>
        <source>the other product</source>
        <translation>其余 1 个乘积</translation>
    </message>
    <message>
        <source>the other {k} products</source>
        <translation>其余 {k} 个乘积</translation>
    </message>
    <message>
        <source> (all 0)</source>
        <translation>（全为 0）</translation>
    </message>
    <message>
        <source>0 (no products)</source>
        <translation>0（没有乘积）</translation>
    </message>
    <message>
        <source>{n} products</source>
        <translation>{n} 个乘积</translation>
    </message>
    <message>
        <source>, {nonzero} not 0</source>
        <translation>，{nonzero} 个不为 0</translation>
    </message>
    <message>
        <source>nothing has been run yet: there is no trace to explain</source>
        <translation>还没有运行任何步骤：没有可解释的记录</translation>
    </message>
    <message>
        <source>layer {layer}: {what} has not been computed in this step</source>
        <translation>层 {layer}：本步骤尚未计算 {what}</translation>
    </message>
    <message>
        <source>{what} of {layer} ({shape}), sample {sample}</source>
        <translation>{layer} 的{what}（{shape}），样本 {sample}</translation>
    </message>
    <message>
        <source>(sample {s}: {part}) + (the other {k} samples: {rest})</source>
        <translation>（样本 {s}：{part}）+（其余 {k} 个样本：{rest}）</translation>
    </message>
    <message>
        <source>{what} (sample {s})</source>
        <translation>{what}（样本 {s}）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>forward {layer}</source>
        <translation>前向 {layer}</translation>
    </message>
    <message>
        <source>backward {layer}</source>
        <translation>反向 {layer}</translation>
    </message>
    <message>
        <source>update {rule}</source>
        <translation>更新 {rule}</translation>
    </message>
    <message>
        <source>Summed over the batch of {n} samples (E is their mean, so δ already carries 1/N).</source>
        <translation>对一批 {n} 个样本求和（E 是它们的平均，所以 δ 已含 1/N）。</translation>
    </message>
    <message>
        <source>softmax + cross-entropy, δ = p − t (a standard result)</source>
        <translation>softmax + 交叉熵，δ = p − t（标准结果）</translation>
    </message>
    <message>
        <source>the loss L = −ln p(c) and its gradient</source>
        <translation>损失 L = −ln p(c) 及其梯度</translation>
    </message>
    <message>
        <source>the output error δₖ = Y − T</source>
        <translation>输出误差 δₖ = Y − T</translation>
    </message>
    <message>
        <source>§2.1: Eⁿ = ½ Σₖ (tₖⁿ − yₖⁿ)²; §2.2: the output sensitivity δᴸ = f′(uᴸ) ∘ (yⁿ − tⁿ)</source>
        <translation>§2.1: Eⁿ = ½ Σₖ (tₖⁿ − yₖⁿ)²；§2.2: 输出层的误差项 δᴸ = f′(uᴸ) ∘ (yⁿ − tⁿ)</translation>
    </message>
    <message>
        <source>LeNet-5&apos;s squared-error criterion</source>
        <translation>LeNet-5 的平方误差准则</translation>
    </message>
    <message>
        <source>Cross-entropy: minus the log-probability of the true class, batch mean</source>
        <translation>交叉熵：真实类别的对数概率取负，对批取平均</translation>
    </message>
    <message>
        <source>this sample: {part};  mean over the batch of {n}: {mean}</source>
        <translation>本样本：{part}；  对一批 {n} 个样本取平均：{mean}</translation>
    </message>
    <message>
        <source>the loss of the batch of {n}</source>
        <translation>这一批 {n} 个样本的损失</translation>
    </message>
    <message>
        <source>Softmax + cross-entropy: the output sensitivity is δ = p − t</source>
        <translation>Softmax + 交叉熵：输出层的误差项是 δ = p − t</translation>
    </message>
    <message>
        <source>t[{k}] (true class {label})</source>
        <translation>t[{k}]（真实类别 {label}）</translation>
    </message>
    <message>
        <source>N (batch size)</source>
        <translation>N（批大小）</translation>
    </message>
    <message>
        <source>δ of the output {layer} ({k}), sample {s}</source>
        <translation>输出层 {layer} 的 δ（{k}），样本 {s}</translation>
    </message>
    <message>
        <source>E is the mean over the batch, so δ is divided by N = {n}. The softmax and the log cancel: no f′ appears. The last layer&apos;s backward phase receives this δ.</source>
        <translation>E 是对批的平均，所以 δ 除以 N = {n}。softmax 与对数相消：不出现 f′。最后一层的反向阶段接收这个 δ。</translation>
    </message>
    <message>
        <source>The output sensitivity from softmax + cross-entropy</source>
        <translation>softmax + 交叉熵给出的输出层误差项</translation>
    </message>
    <message>
        <source>Squared error: half the squared distance to the targets, batch mean</source>
        <translation>平方误差：与目标距离平方的一半，对批取平均</translation>
    </message>
    <message>
        <source>Squared error: the output error is y − t</source>
        <translation>平方误差：输出误差是 y − t</translation>
    </message>
    <message>
        <source>∂E/∂y of the output {layer} ({k}), sample {s}</source>
        <translation>输出层 {layer} 的 ∂E/∂y（{k}），样本 {s}</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s δᴸ = f′(uᴸ) ∘ (y − t) is split over two phases here: the loss gives (y − t)/N (the mean over the batch), the backward phase of the last activation multiplies by f′(uᴸ).</source>
        <translation>Bouvrie 的 δᴸ = f′(uᴸ) ∘ (y − t) 在这里分成两个阶段：损失给出 (y − t)/N（对批的平均），最后一个激活函数的反向阶段乘以 f′(uᴸ)。</translation>
    </message>
    <message>
        <source>The output sensitivity: δᴸ = (y − t) ∘ f′(uᴸ)</source>
        <translation>输出层的误差项：δᴸ = (y − t) ∘ f′(uᴸ)</translation>
    </message>
    <message>
        <source>δᴸ = (y − t) ∘ f′(uᴸ) / N   (mean over the batch of N)</source>
        <translation>δᴸ = (y − t) ∘ f′(uᴸ) / N   （对一批 N 个样本取平均）</translation>
    </message>
    <message>
        <source>“Pooling层输出值的计算” (a pooling layer&apos;s output): max and mean pooling</source>
        <translation>“Pooling层输出值的计算”：最大池化与平均池化</translation>
    </message>
    <message>
        <source>pooling layers</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>§4.2: Lp pooling ‖x‖ₚ = (Σ |xₖ|ᵖ)^(1/p)</source>
        <translation>§4.2: Lp 池化 ‖x‖ₚ = (Σ |xₖ|ᵖ)^(1/p)</translation>
    </message>
    <message>
        <source>§3.2 Sub-sampling layers: xⱼˡ = f(βⱼˡ · down(xⱼˡ⁻¹) + bⱼˡ)</source>
        <translation>§3.2 下采样层: xⱼˡ = f(βⱼˡ · down(xⱼˡ⁻¹) + bⱼˡ)</translation>
    </message>
    <message>
        <source>LeNet-5&apos;s trainable subsampling S2, S4</source>
        <translation>LeNet-5 可训练的下采样层 S2、S4</translation>
    </message>
    <message>
        <source>“Max Pooling误差项的传递” (the error through max pooling)</source>
        <translation>“Max Pooling误差项的传递”</translation>
    </message>
    <message>
        <source>backpropagation through max pooling</source>
        <translation>经过最大池化的反向传播</translation>
    </message>
    <message>
        <source>§4.2</source>
        <translation>§4.2</translation>
    </message>
    <message>
        <source>“Mean Pooling误差项的传递” (the error through mean pooling): δˡ⁻¹ = δˡ ⊗ (1/n²)ₙₓₙ, the Kronecker product</source>
        <translation>“Mean Pooling误差项的传递”：δˡ⁻¹ = δˡ ⊗ (1/n²)ₙₓₙ，克罗内克积</translation>
    </message>
    <message>
        <source>§4.2: ∂g/∂xᵢ = (Σₖ |xₖ|ᵖ)^(1/p − 1) · |xᵢ|^(p−1)</source>
        <translation>§4.2: ∂g/∂xᵢ = (Σₖ |xₖ|ᵖ)^(1/p − 1) · |xᵢ|^(p−1)</translation>
    </message>
    <message>
        <source>§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) = x ⊗ 1ₙₓₙ</source>
        <translation>§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) = x ⊗ 1ₙₓₙ</translation>
    </message>
    <message>
        <source>§3.2.1: ∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ dⱼ)ᵤᵥ, dⱼ = down(xⱼˡ⁻¹)</source>
        <translation>§3.2.1: ∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ dⱼ)ᵤᵥ, dⱼ = down(xⱼˡ⁻¹)</translation>
    </message>
    <message>
        <source>§3.1.1: a convolution followed by pooling, δˡ = up(δˡ⁺¹) ∘ f′(uˡ)</source>
        <translation>§3.1.1: 卷积层后接池化层，δˡ = up(δˡ⁺¹) ∘ f′(uˡ)</translation>
    </message>
    <message>
        <source>the error through max and mean pooling</source>
        <translation>误差项经过最大池化与平均池化的传递</translation>
    </message>
    <message>
        <source>A convolution followed by pooling: δ = up(δˡ⁺¹) ∘ f′(u)</source>
        <translation>卷积层后接池化层：δ = up(δˡ⁺¹) ∘ f′(u)</translation>
    </message>
    <message>
        <source>The pooling backward phase gave up(δ); this phase multiplies by f′(u).</source>
        <translation>池化层的反向阶段给出了 up(δ)；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>Max pooling keeps the largest input of each window</source>
        <translation>最大池化保留每个窗口中最大的输入</translation>
    </message>
    <message>
        <source>y[c, i, j] = max of x[c, iS+p, jS+q] over the {k}×{k} window (S = {S})</source>
        <translation>y[c, i, j] = {k}×{k} 窗口内 x[c, iS+p, jS+q] 的最大值（S = {S}）</translation>
    </message>
    <message>
        <source>: {winner} wins</source>
        <translation>：{winner} 最大</translation>
    </message>
    <message>
        <source>The winner {winner} is remembered: backward routes δ{pos} to it.</source>
        <translation>记住最大者 {winner}：反向传播把 δ{pos} 传给它。</translation>
    </message>
    <message>
        <source>0: no window covers this entry</source>
        <translation>0：没有窗口覆盖这一项</translation>
    </message>
    <message>
        <source>Max pooling routes δ to the argmax</source>
        <translation>最大池化把 δ 传给最大值所在位置</translation>
    </message>
    <message>
        <source>∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] was the max of window (i, j), else 0</source>
        <translation>∂E/∂x[c, r, s] = δ[c, i, j]（若 x[c, r, s] 是窗口 (i, j) 的最大值），否则 0</translation>
    </message>
    <message>
        <source>Mean pooling averages each window</source>
        <translation>平均池化对每个窗口取平均</translation>
    </message>
    <message>
        <source>Mean pooling spreads δ/n² over the window</source>
        <translation>平均池化把 δ/n² 分给窗口中的每一项</translation>
    </message>
    <message>
        <source>∂E/∂x = δ ⊗ 1ₙₓₙ / n²   (the Kronecker product: every input of a window gets its share)</source>
        <translation>∂E/∂x = δ ⊗ 1ₙₓₙ / n²   （克罗内克积：窗口中每个输入分到一份）</translation>
    </message>
    <message>
        <source>L{p} pooling: the {p}-norm of each window</source>
        <translation>L{p} 池化：每个窗口的 {p}-范数</translation>
    </message>
    <message>
        <source>L{p} pooling: δ times the derivative of the norm</source>
        <translation>L{p} 池化：δ 乘以范数的导数</translation>
    </message>
    <message>
        <source>Subsampling (Bouvrie): a trainable β times the window sum, plus b</source>
        <translation>下采样（Bouvrie）：可训练的 β 乘以窗口之和，加上 b</translation>
    </message>
    <message>
        <source>u[c, i, j] = β[c] · down(x)[c, i, j] + b[c],   down = sum of each {k}×{k} block</source>
        <translation>u[c, i, j] = β[c] · down(x)[c, i, j] + b[c],   down = 每个 {k}×{k} 块之和</translation>
    </message>
    <message>
        <source>down(x) is kept from the forward pass: backward needs it for ∂E/∂β.</source>
        <translation>down(x) 在前向传播时保留：反向传播计算 ∂E/∂β 时要用。</translation>
    </message>
    <message>
        <source>no window</source>
        <translation>没有窗口</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s subsampling sends β·δ back to every input of the block</source>
        <translation>Bouvrie 的下采样把 β·δ 传回块中的每个输入</translation>
    </message>
    <message>
        <source>∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ   (the Kronecker product)</source>
        <translation>∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ   （克罗内克积）</translation>
    </message>
    <message>
        <source>A convolution followed by subsampling: δ = β·up(δˡ⁺¹) ∘ f′(u)</source>
        <translation>卷积层后接下采样层：δ = β·up(δˡ⁺¹) ∘ f′(u)</translation>
    </message>
    <message>
        <source>The subsampling backward phase gave β·up(δ); this phase multiplies by f′(u).</source>
        <translation>下采样层的反向阶段给出了 β·up(δ)；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s ∂E/∂β: δ times the down-sampled input, summed</source>
        <translation>Bouvrie 的 ∂E/∂β：δ 乘以下采样后的输入，再求和</translation>
    </message>
    <message>
        <source>∂E/∂βⱼ = Σ (δⱼ ∘ down(xⱼ))   (sum over the map and the batch)</source>
        <translation>∂E/∂βⱼ = Σ (δⱼ ∘ down(xⱼ))   （对特征图和整批求和）</translation>
    </message>
    <message>
        <source>∂E/∂β of {layer} ({shape})</source>
        <translation>{layer} 的 ∂E/∂β（{shape}）</translation>
    </message>
    <message>
        <source>down(x) was kept from the forward pass. </source>
        <translation>down(x) 在前向传播时已保留。</translation>
    </message>
    <message>
        <source>The vocabulary of the lessons (net input u, sensitivity δ, up, down, β): §2 back-propagation in vector form, §3.1 convolution layers, §3.2 sub-sampling layers, each with its gradients.</source>
        <translation>讲解所用的术语（净输入 u、误差项 δ、up、down、β）：§2 向量形式的反向传播，§3.1 卷积层，§3.2 下采样层，各自的梯度。</translation>
    </message>
    <message>
        <source>LeNet-5: its layers C1–F6, the C3 connection table, the scaled tanh 1.7159·tanh(⅔·u), trainable subsampling, and MNIST&apos;s preparation of the digits.</source>
        <translation>LeNet-5：C1–F6 各层，C3 的连接表，缩放 tanh 1.7159·tanh(⅔·u)，可训练的下采样，以及 MNIST 对数字图像的预处理。</translation>
    </message>
    <message>
        <source>Convolution on a 4×4 image with the vertical Sobel kernel, pooling, softmax.</source>
        <translation>用竖直 Sobel 卷积核对 4×4 图像做卷积，池化，softmax。</translation>
    </message>
    <message>
        <source>Backpropagation through softmax + cross-entropy, max pooling and a conv layer (∂L/∂filter); the gradient-descent update.</source>
        <translation>经过 softmax + 交叉熵、最大池化和卷积层的反向传播（∂L/∂filter）；梯度下降的更新。</translation>
    </message>
    <message>
        <source>ReLU; a conv layer&apos;s output with depth D, stride S and zero padding P (formulas 4.1–4.4); pooling; the error through a conv layer (zeros inserted for the stride, formula 5.3 over N filters); a filter&apos;s weight gradient; the error through max and mean pooling.</source>
        <translation>ReLU；深度 D、步幅 S、补零 P 时卷积层的输出（式 4.1–4.4）；池化；误差项经过卷积层的传递（按步幅插入零，N 个 filter 的式 5.3）；filter 的权重梯度；误差项经过最大池化与平均池化的传递。</translation>
    </message>
    <message>
        <source>CNN backprop notes</source>
        <translation>CNN 反向传播笔记</translation>
    </message>
    <message>
        <source>§2 the output and hidden layers of a fully connected net with a sigmoid; §3.1.1 the input gradient of a convolution as a full convolution; §4 mean, max and Lp pooling with their derivatives.</source>
        <translation>§2 使用 sigmoid 的全连接网络的输出层与隐藏层；§3.1.1 卷积层输入的梯度即全卷积；§4 平均、最大与 Lp 池化及其导数。</translation>
    </message>
    <message>
        <source>the chain-rule derivation</source>
        <translation>链式法则推导</translation>
    </message>
    <message>
        <source>Forward propagation a = W·X, the output error Y − T, the hidden sensitivities (Σ W·δ) × f′ and the update of the weights.</source>
        <translation>前向传播 a = W·X，输出误差 Y − T，隐藏层误差项 (Σ W·δ) × f′，以及权重的更新。</translation>
    </message>
    <message>
        <source>textbook</source>
        <translation>教科书</translation>
    </message>
    <message>
        <source>The softmax + cross-entropy sensitivity δ = p − t and SGD with momentum and weight decay, as the engine applies them.</source>
        <translation>softmax + 交叉熵的误差项 δ = p − t，以及带动量和权重衰减的 SGD，与引擎的实现一致。</translation>
    </message>
    <message>
        <source>§3.1.1: ∂E/∂bⱼ = Σᵤᵥ (δⱼˡ)ᵤᵥ</source>
        <translation>§3.1.1: ∂E/∂bⱼ = Σᵤᵥ (δⱼˡ)ᵤᵥ</translation>
    </message>
    <message>
        <source>the bias gradient is the sum of the sensitivity map</source>
        <translation>偏置的梯度是误差项特征图之和</translation>
    </message>
    <message>
        <source>§2.2: ∂E/∂b = δ, the sensitivity to a bias</source>
        <translation>§2.2: ∂E/∂b = δ，对偏置的误差项</translation>
    </message>
    <message>
        <source>forward: {rule}</source>
        <translation>前向：{rule}</translation>
    </message>
    <message>
        <source>backward: {rule}</source>
        <translation>反向：{rule}</translation>
    </message>
    <message>
        <source>source: {works}</source>
        <translation>出处：{works}</translation>
    </message>
    <message>
        <source>Back through an activation: δ = ∂E/∂a ∘ f′(u)</source>
        <translation>反向经过激活函数：δ = ∂E/∂a ∘ f′(u)</translation>
    </message>
    <message>
        <source>∂E/∂x (input gradient)</source>
        <translation>∂E/∂x（输入的梯度）</translation>
    </message>
    <message>
        <source>the {count} entries of δ[{o}]</source>
        <translation>δ[{o}] 的 {count} 项</translation>
    </message>
    <message>
        <source>The bias gradient: the sum of δ</source>
        <translation>偏置的梯度：δ 之和</translation>
    </message>
    <message>
        <source>∂E/∂b of {layer} ({shape})</source>
        <translation>{layer} 的 ∂E/∂b（{shape}）</translation>
    </message>
    <message>
        <source>the conv layer: the 4×4 image and the vertical Sobel kernel (top-left output 29)</source>
        <translation>卷积层：4×4 图像与竖直 Sobel 卷积核（左上角输出 29）</translation>
    </message>
    <message>
        <source>“卷积层输出值的计算” (computing a conv layer&apos;s output), formula 4.1 (5×5 image, 3×3 filter)</source>
        <translation>“卷积层输出值的计算”，式 4.1（5×5 图像，3×3 filter）</translation>
    </message>
    <message>
        <source>formulas 4.2/4.3: W₂ = (W₁ − F + 2P)/S + 1 (stride 2 gives 2×2)</source>
        <translation>式 4.2/4.3: W₂ = (W₁ − F + 2P)/S + 1（步幅 2 得到 2×2）</translation>
    </message>
    <message>
        <source>formula 4.4: depth D, two filters, stride 2, zero padding 1</source>
        <translation>式 4.4：深度 D，两个 filter，步幅 2，补零 1</translation>
    </message>
    <message>
        <source>“卷积层误差项的传递” (the error through a conv layer), formula 5.2: zeros inserted for stride S</source>
        <translation>“卷积层误差项的传递”，式 5.2：按步幅 S 插入零</translation>
    </message>
    <message>
        <source>§3.1.1: the full convolution</source>
        <translation>§3.1.1: 全卷积</translation>
    </message>
    <message>
        <source>§3.2.1: rot180 and &apos;full&apos;</source>
        <translation>§3.2.1: rot180 与 &apos;full&apos;</translation>
    </message>
    <message>
        <source>formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹), summed over the filters</source>
        <translation>式 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)，对各 filter 求和</translation>
    </message>
    <message>
        <source>“卷积层filter权重梯度的计算” (a filter&apos;s weight gradient): the sensitivity map as the kernel over the input</source>
        <translation>“卷积层filter权重梯度的计算”：以误差项特征图为卷积核在输入上滑动</translation>
    </message>
    <message>
        <source>§3.1.1</source>
        <translation>§3.1.1</translation>
    </message>
    <message>
        <source>∂L/∂filter</source>
        <translation>∂L/∂filter</translation>
    </message>
    <message>
        <source>4×4 image ∗ vertical Sobel (Zhou 2019)</source>
        <translation>4×4 图像 ∗ 竖直 Sobel（Zhou 2019）</translation>
    </message>
    <message>
        <source>Multiply the 3×3 patch by the kernel cell by cell and add the nine products: 0·(−1) + 50·0 + 0·1 + 0·(−2) + 80·0 + 31·2 + 33·(−1) + 90·0 + 0·1 = 29. Bright outputs mark strong vertical edges.</source>
        <translation>把 3×3 的一块与卷积核逐格相乘，再把九个乘积相加：0·(−1) + 50·0 + 0·1 + 0·(−2) + 80·0 + 31·2 + 33·(−1) + 90·0 + 0·1 = 29。亮的输出标出强的竖直边缘。</translation>
    </message>
    <message>
        <source>5×5 ∗ 3×3, stride 1 (Han 2017)</source>
        <translation>5×5 ∗ 3×3，步幅 1（Han 2017）</translation>
    </message>
    <message>
        <source>a₀,₀ = 1+0+1+0+1+0+0+0+1 = 4, a₀,₁ = 3, … The window moves one pixel at a time: a 3×3 feature map.</source>
        <translation>a₀,₀ = 1+0+1+0+1+0+0+0+1 = 4, a₀,₁ = 3, … 窗口每次移动一个像素：得到 3×3 的特征图。</translation>
    </message>
    <message>
        <source>5×5 ∗ 3×3, stride 2 (Han 2017)</source>
        <translation>5×5 ∗ 3×3，步幅 2（Han 2017）</translation>
    </message>
    <message>
        <source>The window jumps two pixels: (5 − 3 + 0)/2 + 1 = 2, a 2×2 map.</source>
        <translation>窗口每次跳两个像素：(5 − 3 + 0)/2 + 1 = 2，得到 2×2 的特征图。</translation>
    </message>
    <message>
        <source>5×5×3 padded to 7×7×3, two 3×3×3 filters, stride 2 (Han 2017)</source>
        <translation>5×5×3 补零为 7×7×3，两个 3×3×3 filter，步幅 2（Han 2017）</translation>
    </message>
    <message>
        <source>Each filter has one 3×3 slice per input channel; the three slices&apos; sums and the bias (1 for filter 0, 0 for filter 1) make one output entry. Two filters give two maps: 3×3×2 out, 2·(3·3·3 + 1) = 56 parameters.</source>
        <translation>每个 filter 对每个输入通道有一个 3×3 切片；三个切片的和加上偏置（filter 0 为 1，filter 1 为 0）得到一个输出项。两个 filter 给出两个特征图：输出 3×3×2，参数 2·(3·3·3 + 1) = 56 个。</translation>
    </message>
    <message>
        <source>∂E/∂x of the Sobel example: full convolution with rot180(W)</source>
        <translation>Sobel 例子的 ∂E/∂x：与 rot180(W) 的全卷积</translation>
    </message>
    <message>
        <source>Pad δ with k−1 = 2 zeros, turn the kernel by 180° and slide it: every input pixel collects δ·w from each window that covered it.</source>
        <translation>在 δ 周围补 k−1 = 2 圈零，把卷积核旋转180度再滑动：每个输入像素收集覆盖过它的每个窗口的 δ·w。</translation>
    </message>
    <message>
        <source>∂E/∂x at stride 2: zeros inserted into δ</source>
        <translation>步幅 2 时的 ∂E/∂x：在 δ 中插入零</translation>
    </message>
    <message>
        <source>With stride 2 the forward window skipped positions; inserting one zero between the entries of δ restores the stride-1 layout, then it is the same full convolution.</source>
        <translation>步幅为 2 时前向的窗口跳过了一些位置；在 δ 的各项之间插入一个零，恢复步幅 1 的排列，之后就是同样的全卷积。</translation>
    </message>
    <message>
        <source>∂E/∂x of the 7×7×3 example: summed over both filters</source>
        <translation>7×7×3 例子的 ∂E/∂x：对两个 filter 求和</translation>
    </message>
    <message>
        <source>Input channel c collects from both δ maps through the c-th slice of each filter, turned by 180°; the forward padding is cropped off at the end.</source>
        <translation>输入通道 c 通过每个 filter 旋转180度后的第 c 个切片，从两个 δ 特征图收集；最后裁掉前向时的补零。</translation>
    </message>
    <message>
        <source>∂E/∂W: the input correlated with δ (stride 1)</source>
        <translation>∂E/∂W：输入与 δ 做互相关（步幅 1）</translation>
    </message>
    <message>
        <source>Weight sharing: w[p, q] touched every output, so its gradient sums δ[i, j]·x[i+p, j+q] over all of them — δ itself is the window.</source>
        <translation>权值共享：w[p, q] 参与了每个输出，所以它的梯度是所有输出上 δ[i, j]·x[i+p, j+q] 之和——δ 本身就是窗口。</translation>
    </message>
    <message>
        <source>∂E/∂W at stride 2: δ with zeros inserted as the window</source>
        <translation>步幅 2 时的 ∂E/∂W：插入零后的 δ 作为窗口</translation>
    </message>
    <message>
        <source>At stride 2, δ[i, j] met x[2i+p, 2j+q]: spread δ out with zeros and correlate as before.</source>
        <translation>步幅为 2 时，δ[i, j] 对应 x[2i+p, 2j+q]：用零把 δ 撑开，再像前面一样做互相关。</translation>
    </message>
    <message>
        <source>input x ({shape}{padding})</source>
        <translation>输入 x（{shape}{padding}）</translation>
    </message>
    <message>
        <source>kernel W</source>
        <translation>卷积核 W</translation>
    </message>
    <message>
        <source>output u ({shape}), stride S = {S}</source>
        <translation>输出 u（{shape}），步幅 S = {S}</translation>
    </message>
    <message>
        <source>{zeros} zero(s) inserted between the entries of δ (stride {S})</source>
        <translation>在 δ 的各项之间插入 {zeros} 个零（步幅 {S}）</translation>
    </message>
    <message>
        <source>{zeros} zeros around δ for the &apos;full&apos; convolution</source>
        <translation>为全卷积在 δ 周围补 {zeros} 圈零</translation>
    </message>
    <message>
        <source>the forward padding P = {P} cropped off</source>
        <translation>裁掉前向时的补零 P = {P}</translation>
    </message>
    <message>
        <source>rot180(W): the kernel turned by 180°</source>
        <translation>rot180(W)：旋转180度的卷积核</translation>
    </message>
    <message>
        <source>, {zeros} zero(s) inserted for stride {S}</source>
        <translation>，按步幅 {S} 插入 {zeros} 个零</translation>
    </message>
    <message>
        <source>input x</source>
        <translation>输入 x</translation>
    </message>
    <message>
        <source>δ as the window</source>
        <translation>δ 作为窗口</translation>
    </message>
    <message>
        <source>, zero padding P = {P} (grey)</source>
        <translation>，补零 P = {P}（灰色）</translation>
    </message>
    <message>
        <source>formula 4.4: depth D, stride S, zero padding P</source>
        <translation>式 4.4：深度 D，步幅 S，补零 P</translation>
    </message>
    <message>
        <source>the C3 connection table</source>
        <translation>C3 的连接表</translation>
    </message>
    <message>
        <source>{layer}: output map {o} of the live network</source>
        <translation>{layer}：正在训练的网络的输出特征图 {o}</translation>
    </message>
    <message>
        <source>The real input (the previous layer&apos;s activation for the selected sample), the real kernel and the real sum; the engine&apos;s value is shown beside it.</source>
        <translation>真实的输入（所选样本在上一层的激活值）、真实的卷积核和真实的求和；旁边显示引擎算出的值。</translation>
    </message>
    <message>
        <source>the current training batch</source>
        <translation>当前的训练批</translation>
    </message>
    <message>
        <source>the test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>standard normal noise (as cnnviz gradcheck)</source>
        <translation>标准正态噪声（与 cnnviz gradcheck 相同）</translation>
    </message>
    <message>
        <source>the given images</source>
        <translation>给定的图像</translation>
    </message>
    <message>
        <source>1 noise image (as cnnviz gradcheck)</source>
        <translation>1 张噪声图像（与 cnnviz gradcheck 相同）</translation>
    </message>
    <message>
        <source>{n} noise images (as cnnviz gradcheck)</source>
        <translation>{n} 张噪声图像（与 cnnviz gradcheck 相同）</translation>
    </message>
    <message>
        <source>1 sample of the current training batch</source>
        <translation>当前训练批中的 1 个样本</translation>
    </message>
    <message>
        <source>{n} samples of the current training batch</source>
        <translation>当前训练批中的 {n} 个样本</translation>
    </message>
    <message>
        <source>1 sample of the test set</source>
        <translation>测试集中的 1 个样本</translation>
    </message>
    <message>
        <source>{n} samples of the test set</source>
        <translation>测试集中的 {n} 个样本</translation>
    </message>
    <message>
        <source>1 sample given</source>
        <translation>给定的 1 个样本</translation>
    </message>
    <message>
        <source>{n} samples given</source>
        <translation>给定的 {n} 个样本</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>max rel. error {error} (threshold {threshold}): {verdict}</source>
        <translation>最大相对误差 {error}（阈值 {threshold}）：{verdict}</translation>
    </message>
    <message>
        <source>no current batch yet: checked on {what}</source>
        <translation>还没有当前批：改用{what}检验</translation>
    </message>
    <message>
        <source>{layer} is not a conv layer here: showing {name}</source>
        <translation>{layer} 在这里不是卷积层：显示 {name}</translation>
    </message>
</context>
</TS>
